import AtriumCore
import Foundation
import GraphQL
import Logging
import OrderedCollections

/// Roles and permissions on `/metadata`, with Twenty's operation names and shapes (its `role.resolver.ts`):
/// query `getRoles`; mutations `createOneRole`, `updateOneRole`, `deleteOneRole`, `updateWorkspaceMemberRole`,
/// `upsertObjectPermissions`, `upsertFieldPermissions`, `upsertPermissionFlags`,
/// `upsertRowLevelPermissionPredicates`. Every one needs the ROLES settings flag. The API key operations are in
/// `RolesGraphQLModule+APIKeys.swift` (they share the `Role` type).
struct RolesGraphQLModule: MetadataGraphQLModule {
    func rootFields(_ shared: MetadataGraphQLShared) throws -> (queries: GraphQLFieldMap, mutations: GraphQLFieldMap) {
        let types = try Types(shared)
        var queries: GraphQLFieldMap = [
            "getRoles": GraphQLField(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(types.role)))) { _, _, context, _ in
                let (context, permissions, workspace) = try await Self.authorized(context, .roles)
                let snapshot = try await permissions.snapshot(workspace, logger: context.logger)
                return snapshot.rows.roles.map { Self.role($0, snapshot) }
            },
        ]
        var mutations = try roleMutations(types, shared)
        let keys = try apiKeyFields(types, shared)
        for (name, field) in keys.queries { queries[name] = field }
        for (name, field) in keys.mutations { mutations[name] = field }
        return (queries, mutations)
    }

    private func roleMutations(_ types: Types, _ shared: MetadataGraphQLShared) throws -> GraphQLFieldMap {
        let uuid = GraphQLArgument(type: GraphQLNonNull(shared.uuid))
        return [
            "createOneRole": GraphQLField(type: GraphQLNonNull(types.role), args: ["createRoleInput": GraphQLArgument(type: GraphQLNonNull(types.createRole))]) { _, args, context, _ in
                let (context, permissions, workspace) = try await Self.authorized(context, .roles)
                let role = try await permissions.roles.create(workspace, try Self.decode(args["createRoleInput"]), logger: context.logger)
                return try await Self.role(role.id, permissions, workspace, context.logger)
            },
            "updateOneRole": GraphQLField(type: GraphQLNonNull(types.role), args: ["updateRoleInput": GraphQLArgument(type: GraphQLNonNull(types.updateRole))]) { _, args, context, _ in
                let (context, permissions, workspace) = try await Self.authorized(context, .roles)
                let id = try Self.uuid(args["updateRoleInput"]["id"])
                try await permissions.roles.update(workspace, id: id, try Self.decode(args["updateRoleInput"]["update"]), logger: context.logger)
                return try await Self.role(id, permissions, workspace, context.logger)
            },
            "deleteOneRole": GraphQLField(type: GraphQLNonNull(GraphQLString), args: ["roleId": uuid]) { _, args, context, _ in
                let (context, permissions, workspace) = try await Self.authorized(context, .roles)
                let id = try Self.uuid(args["roleId"])
                try await permissions.roles.delete(workspace, id: id, logger: context.logger)
                return id.lowercased
            },
            "updateWorkspaceMemberRole": GraphQLField(type: GraphQLNonNull(types.member), args: ["workspaceMemberId": uuid, "roleId": uuid]) { _, args, context, _ in
                let (context, permissions, workspace) = try await Self.authorized(context, .roles)
                let memberID = try Self.uuid(args["workspaceMemberId"])
                if case .member(_, let own, _) = try context.requireAuthentication().identity, own == memberID {
                    throw AtriumError(.forbidden, "You cannot change your own role. Please ask another administrator to update your role.")
                }
                let schema = try await permissions.metadata.schema(for: workspace, logger: context.logger)
                try await permissions.roles.assign(workspace, roleID: try Self.uuid(args["roleId"]),
                                                   to: .workspaceMember(memberID, schema: schema.databaseSchema), logger: context.logger)
                let members = try await permissions.roles.members(workspace, schema: schema.databaseSchema, logger: context.logger)
                guard let member = members.first(where: { $0.workspaceMemberID == memberID }) else {
                    throw AtriumError(.notFound, "Workspace member \(memberID.lowercased) not found")
                }
                return Self.member(member)
            },
            "upsertObjectPermissions": try Self.upsert(types.objectPermission, input: "upsertObjectPermissionsInput", types.upsertObjectPermissions,
                                                   answer: { rows, role in rows.objectPermissions.filter { $0.roleId == role }.map(Self.objectPermission) }) {
                permissions, workspace, role, input, logger in
                try await permissions.roles.upsertObjectPermissions(workspace, roleID: role, try Self.decode(input["objectPermissions"]), logger: logger)
            },
            "upsertFieldPermissions": try Self.upsert(types.fieldPermission, input: "upsertFieldPermissionsInput", types.upsertFieldPermissions,
                                                  answer: { rows, role in rows.fieldPermissions.filter { $0.roleId == role }.map(Self.fieldPermission) }) {
                permissions, workspace, role, input, logger in
                try await permissions.roles.upsertFieldPermissions(workspace, roleID: role, try Self.decode(input["fieldPermissions"]), logger: logger)
            },
            "upsertPermissionFlags": try Self.upsert(types.permissionFlag, input: "upsertPermissionFlagsInput", types.upsertPermissionFlags,
                                                 answer: { rows, role in rows.permissionFlags.filter { $0.roleId == role }.map(Self.permissionFlag) }) {
                permissions, workspace, role, input, logger in
                let flags = try (input["permissionFlagKeys"].array ?? []).map { value in
                    guard let flag = value.string.flatMap(PermissionFlag.init(rawValue:)) else {
                        throw AtriumError(.validationFailed, "Unknown permission flag")
                    }
                    return flag
                }
                try await permissions.roles.upsertPermissionFlags(workspace, roleID: role, flags, logger: logger)
            },
            "upsertRowLevelPermissionPredicates": GraphQLField(type: GraphQLNonNull(types.predicatesResult), args: [
                "input": GraphQLArgument(type: GraphQLNonNull(types.upsertPredicates)),
            ]) { _, args, context, _ in
                let (context, permissions, workspace) = try await Self.authorized(context, .roles)
                let input = args["input"]
                let groups: [RowLevelPredicateGroupInput] = input["predicateGroups"] == .undefined || input["predicateGroups"] == .null
                    ? [] : try Self.decode(input["predicateGroups"])
                let result = try await permissions.roles.replaceRowLevelPredicates(
                    workspace, roleID: try Self.uuid(input["roleId"]), objectID: try Self.uuid(input["objectMetadataId"]),
                    predicates: try Self.decode(input["predicates"]), groups: groups, logger: context.logger)
                return ["predicates": result.predicates.map(Self.predicate), "predicateGroups": result.groups.map(Self.predicateGroup)] as [String: any Sendable]
            },
        ]
    }

    // MARK: - Helpers

    /// A mutation upserting one role's permission rows of one kind (Twenty's `upsert*Permissions`): needs ROLES, runs
    /// `write` with the role named by the input's `roleId`, then answers every row of that kind the role has.
    static func upsert(
        _ rowType: any GraphQLOutputType, input name: String, _ inputType: any GraphQLInputType,
        answer: @escaping @Sendable (PermissionRows, UUID) -> [[String: any Sendable]],
        _ write: @escaping @Sendable (PermissionsAPI, UUID, UUID, Map, Logger) async throws -> Void
    ) throws -> GraphQLField {
        try GraphQLField(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(rowType))), args: [name: GraphQLArgument(type: GraphQLNonNull(inputType))]) {
            _, args, context, _ in
            let (context, permissions, workspace) = try await Self.authorized(context, .roles)
            let input = args[name]
            let role = try Self.uuid(input["roleId"])
            try await write(permissions, workspace, role, input, context.logger)
            return answer(try await permissions.roles.rows(workspace, logger: context.logger), role)
        }
    }

    /// The context, the permissions API and the caller's workspace, once the caller's role is known to hold `flag`.
    static func authorized(_ context: any Sendable, _ flag: PermissionFlag) async throws -> (MetadataGraphQLContext, PermissionsAPI, UUID) {
        let context = try MetadataGraphQLContext.of(context)
        let permissions = try context.requirePermissions()
        try await context.require(flag)
        return (context, permissions, try context.workspace)
    }

    /// A coerced GraphQL argument decoded as `T` (through its JSON form).
    static func decode<T: Decodable>(_ map: Map) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: JSONEncoder().encode(MetadataGraphQLShared.json(map)))
        } catch {
            throw AtriumError(.validationFailed, "Invalid input: \(error)")
        }
    }

    static func uuid(_ map: Map) throws -> UUID {
        guard let id = map.string.flatMap(UUID.init(text:)) else { throw AtriumError(.validationFailed, "Expected a UUID") }
        return id
    }

    static func role(_ id: UUID, _ permissions: PermissionsAPI, _ workspace: UUID, _ logger: Logger) async throws -> [String: any Sendable] {
        let snapshot = try await permissions.snapshot(workspace, logger: logger)
        guard let row = snapshot.rows.roles.first(where: { $0.id == id }) else {
            throw AtriumError(.notFound, "Role \(id.lowercased) not found")
        }
        return role(row, snapshot)
    }

    static func role(_ role: RoleRow, _ snapshot: (rows: PermissionRows, members: [RoleMember], keys: [APIKey])) -> [String: any Sendable] {
        let rows = snapshot.rows
        let keyIDs = Set(rows.targets.filter { $0.roleId == role.id }.compactMap(\.apiKeyId))
        return [
            "id": role.id, "label": role.label, "description": role.description as (any Sendable)?, "icon": role.icon as (any Sendable)?,
            "isEditable": role.isEditable, "canUpdateAllSettings": role.canUpdateAllSettings, "canAccessAllTools": role.canAccessAllTools,
            "canReadAllObjectRecords": role.canReadAllObjectRecords, "canUpdateAllObjectRecords": role.canUpdateAllObjectRecords,
            "canSoftDeleteAllObjectRecords": role.canSoftDeleteAllObjectRecords, "canDestroyAllObjectRecords": role.canDestroyAllObjectRecords,
            "canBeAssignedToUsers": role.canBeAssignedToUsers, "canBeAssignedToAgents": role.canBeAssignedToAgents,
            "canBeAssignedToApiKeys": role.canBeAssignedToApiKeys,
            "workspaceMembers": snapshot.members.filter { $0.roleID == role.id }.map(member),
            "apiKeys": snapshot.keys.filter { keyIDs.contains($0.id) }.map { key in
                ["id": key.id, "name": key.name, "expiresAt": UsersGraphQLModule.date(key.expiresAt), "revokedAt": key.revokedAt.map(UsersGraphQLModule.date) as (any Sendable)?] as [String: any Sendable]
            },
            "permissionFlags": rows.permissionFlags.filter { $0.roleId == role.id }.map(permissionFlag),
            "objectPermissions": rows.objectPermissions.filter { $0.roleId == role.id }.map(objectPermission),
            "fieldPermissions": rows.fieldPermissions.filter { $0.roleId == role.id }.map(fieldPermission),
            "rowLevelPermissionPredicates": rows.predicates.filter { $0.roleId == role.id }.map(predicate),
            "rowLevelPermissionPredicateGroups": rows.predicateGroups.filter { $0.roleId == role.id }.map(predicateGroup),
        ]
    }

    static func member(_ member: RoleMember) -> [String: any Sendable] {
        ["id": member.workspaceMemberID, "userEmail": member.userEmail,
         "name": ["firstName": member.firstName, "lastName": member.lastName] as [String: any Sendable]]
    }

    static func objectPermission(_ row: ObjectPermissionRow) -> [String: any Sendable] {
        ["id": row.id, "roleId": row.roleId, "objectMetadataId": row.objectMetadataId,
         "canReadObjectRecords": row.canReadObjectRecords as (any Sendable)?, "canUpdateObjectRecords": row.canUpdateObjectRecords as (any Sendable)?,
         "canSoftDeleteObjectRecords": row.canSoftDeleteObjectRecords as (any Sendable)?,
         "canDestroyObjectRecords": row.canDestroyObjectRecords as (any Sendable)?]
    }

    static func fieldPermission(_ row: FieldPermissionRow) -> [String: any Sendable] {
        ["id": row.id, "roleId": row.roleId, "objectMetadataId": row.objectMetadataId, "fieldMetadataId": row.fieldMetadataId,
         "canReadFieldValue": row.canReadFieldValue as (any Sendable)?, "canUpdateFieldValue": row.canUpdateFieldValue as (any Sendable)?]
    }

    static func permissionFlag(_ row: PermissionFlagRow) -> [String: any Sendable] {
        ["id": row.id, "roleId": row.roleId, "flag": row.flag]
    }

    static func predicate(_ row: RowLevelPredicateRow) -> [String: any Sendable] {
        ["id": row.id, "roleId": row.roleId, "objectMetadataId": row.objectMetadataId, "fieldMetadataId": row.fieldMetadataId,
         "operand": row.operand, "value": row.value as (any Sendable)?, "subFieldName": row.subFieldName as (any Sendable)?,
         "workspaceMemberFieldMetadataId": row.workspaceMemberFieldMetadataId as (any Sendable)?,
         "workspaceMemberSubFieldName": row.workspaceMemberSubFieldName as (any Sendable)?,
         "rowLevelPermissionPredicateGroupId": row.rowLevelPermissionPredicateGroupId as (any Sendable)?,
         "positionInRowLevelPermissionPredicateGroup": row.positionInRowLevelPermissionPredicateGroup as (any Sendable)?]
    }

    static func predicateGroup(_ row: RowLevelPredicateGroupRow) -> [String: any Sendable] {
        ["id": row.id, "roleId": row.roleId, "objectMetadataId": row.objectMetadataId,
         "parentRowLevelPermissionPredicateGroupId": row.parentRowLevelPermissionPredicateGroupId as (any Sendable)?,
         "logicalOperator": row.logicalOperator,
         "positionInRowLevelPermissionPredicateGroup": row.positionInRowLevelPermissionPredicateGroup as (any Sendable)?]
    }
}
