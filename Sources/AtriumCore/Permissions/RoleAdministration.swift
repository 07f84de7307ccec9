import Foundation
import Logging
import PostgresNIO

/// Changes a workspace's roles and permissions. Every change runs in one transaction through
/// ``WorkspaceSchemaCache/change(_:logger:_:)``, which bumps the metadata version and announces it, so every
/// instance's ``PermissionsCache`` moves on with it. Ids are always matched within the workspace, so a role,
/// object or field of another workspace is "not found".
///
/// ```swift
/// let roles = RoleAdministration(cache: metadata)
/// let role = try await roles.create(workspace, RoleInput(label: "Sales", canReadAllObjectRecords: true), logger: logger)
/// try await roles.upsertObjectPermissions(workspace, roleID: role.id, [.init(objectMetadataId: company, canDestroyObjectRecords: false)], logger: logger)
/// ```
public struct RoleAdministration: Sendable {
    let cache: WorkspaceSchemaCache

    public init(cache: WorkspaceSchemaCache) {
        self.cache = cache
    }

    /// The workspace's current permission rows (roles, overrides, flags, predicates, targets).
    public func rows(_ workspace: UUID, logger: Logger) async throws -> PermissionRows {
        guard let rows = try await PermissionsLoader(database: cache.database).load(workspace, logger: logger) else {
            throw AtriumError(.notFound, "There is no workspace \(workspace)")
        }
        return rows
    }

    // MARK: - Roles

    /// Creates a custom role.
    /// - Throws: `validation_failed` for an empty label, `conflict` when the label is taken.
    @discardableResult
    public func create(_ workspace: UUID, _ input: RoleInput, logger: Logger) async throws -> RoleRow {
        let label = (input.label ?? "").trimmingCharacters(in: .whitespaces)
        guard !label.isEmpty else { throw AtriumError(.validationFailed, "A role needs a label") }
        let id = input.id ?? UUID()
        try await change(workspace, logger: logger) { connection in
            try await connection.query("""
                INSERT INTO core."role" ("id", "workspaceId", "label", "description", "icon", "isEditable",
                    "canUpdateAllSettings", "canAccessAllTools", "canReadAllObjectRecords", "canUpdateAllObjectRecords",
                    "canSoftDeleteAllObjectRecords", "canDestroyAllObjectRecords",
                    "canBeAssignedToUsers", "canBeAssignedToAgents", "canBeAssignedToApiKeys")
                VALUES (\(id), \(workspace), \(label), \(input.description), \(input.icon), true,
                    \(input.canUpdateAllSettings ?? false), \(input.canAccessAllTools ?? false),
                    \(input.canReadAllObjectRecords ?? false), \(input.canUpdateAllObjectRecords ?? false),
                    \(input.canSoftDeleteAllObjectRecords ?? false), \(input.canDestroyAllObjectRecords ?? false),
                    \(input.canBeAssignedToUsers ?? true), \(input.canBeAssignedToAgents ?? true), \(input.canBeAssignedToApiKeys ?? true))
                """, logger: logger)
        }
        return try await role(id, in: workspace, logger: logger)
    }

    /// Updates the given columns of an editable role.
    /// - Throws: `not_found`, `forbidden` for a role that is not editable (Admin), `conflict` for a taken label.
    @discardableResult
    public func update(_ workspace: UUID, id: UUID, _ input: RoleInput, logger: Logger) async throws -> RoleRow {
        let current = try await role(id, in: workspace, logger: logger)
        guard current.isEditable else { throw AtriumError(.forbidden, "Role \(current.label) cannot be edited") }
        if let label = input.label, label.trimmingCharacters(in: .whitespaces).isEmpty {
            throw AtriumError(.validationFailed, "A role needs a label")
        }
        try await change(workspace, logger: logger) { connection in
            try await connection.query("""
                UPDATE core."role" SET
                  "label" = COALESCE(\(input.label?.trimmingCharacters(in: .whitespaces)), "label"),
                  "description" = COALESCE(\(input.description), "description"), "icon" = COALESCE(\(input.icon), "icon"),
                  "canUpdateAllSettings" = COALESCE(\(input.canUpdateAllSettings), "canUpdateAllSettings"),
                  "canAccessAllTools" = COALESCE(\(input.canAccessAllTools), "canAccessAllTools"),
                  "canReadAllObjectRecords" = COALESCE(\(input.canReadAllObjectRecords), "canReadAllObjectRecords"),
                  "canUpdateAllObjectRecords" = COALESCE(\(input.canUpdateAllObjectRecords), "canUpdateAllObjectRecords"),
                  "canSoftDeleteAllObjectRecords" = COALESCE(\(input.canSoftDeleteAllObjectRecords), "canSoftDeleteAllObjectRecords"),
                  "canDestroyAllObjectRecords" = COALESCE(\(input.canDestroyAllObjectRecords), "canDestroyAllObjectRecords"),
                  "canBeAssignedToUsers" = COALESCE(\(input.canBeAssignedToUsers), "canBeAssignedToUsers"),
                  "canBeAssignedToAgents" = COALESCE(\(input.canBeAssignedToAgents), "canBeAssignedToAgents"),
                  "canBeAssignedToApiKeys" = COALESCE(\(input.canBeAssignedToApiKeys), "canBeAssignedToApiKeys"),
                  "updatedAt" = now()
                WHERE "id" = \(id) AND "workspaceId" = \(workspace)
                """, logger: logger)
        }
        return try await role(id, in: workspace, logger: logger)
    }

    /// Deletes an editable role; its members and API keys move to the workspace's default role.
    /// - Throws: `not_found`, `forbidden` for Admin or the default role.
    public func delete(_ workspace: UUID, id: UUID, logger: Logger) async throws {
        let current = try await role(id, in: workspace, logger: logger)
        guard current.isEditable else { throw AtriumError(.forbidden, "Role \(current.label) cannot be deleted") }
        try await change(workspace, logger: logger) { connection in
            var defaultRole: UUID?
            for try await value in try await connection.query("""
                SELECT "defaultRoleId" FROM core."workspace" WHERE "id" = \(workspace) FOR UPDATE
                """, logger: logger).decode(UUID?.self) {
                defaultRole = value
            }
            guard let defaultRole else {
                throw AtriumError(.validationFailed, "The workspace has no default role for the role's members to move to")
            }
            guard defaultRole != id else { throw AtriumError(.forbidden, "The default role cannot be deleted") }
            try await connection.query("""
                UPDATE core."roleTargets" SET "roleId" = \(defaultRole), "updatedAt" = now()
                WHERE "roleId" = \(id) AND "workspaceId" = \(workspace)
                """, logger: logger)
            try await connection.query(#"DELETE FROM core."role" WHERE "id" = \#(id) AND "workspaceId" = \#(workspace)"#, logger: logger)
        }
    }

    /// The role `id` of `workspace`.
    /// - Throws: `not_found` when the workspace has no such role.
    public func role(_ id: UUID, in workspace: UUID, logger: Logger) async throws -> RoleRow {
        guard let role = try await rows(workspace, logger: logger).roles.first(where: { $0.id == id }) else {
            throw AtriumError(.notFound, "Role \(id.lowercased) not found")
        }
        return role
    }

    // MARK: - Assignment

    /// Gives a member (by its workspaceMember id) or an API key the role `roleID`, replacing the role it had.
    /// - Throws: `not_found` for an unknown role, member or key of this workspace; `validation_failed` when the role
    ///   may not be assigned to that kind of target.
    public func assign(_ workspace: UUID, roleID: UUID, to target: RoleAssignee, logger: Logger) async throws {
        let role = try await role(roleID, in: workspace, logger: logger)
        try await change(workspace, logger: logger) { connection in
            switch target {
            case .workspaceMember(let memberID, let schema):
                guard role.canBeAssignedToUsers else { throw AtriumError(.validationFailed, "Role \(role.label) cannot be assigned to members") }
                let table = try SQLIdentifier("workspaceMember")
                let schemaName = try SQLIdentifier(schema)
                var assigned = 0
                for try await _ in try await connection.query("""
                    INSERT INTO core."roleTargets" ("workspaceId", "roleId", "userWorkspaceId")
                    SELECT \(workspace), \(roleID), uw."id" FROM \(schemaName).\(table) m
                    JOIN core."userWorkspace" uw ON uw."userId" = m."userId" AND uw."workspaceId" = \(workspace)
                    WHERE m."id" = \(memberID)
                    ON CONFLICT ("userWorkspaceId") WHERE "userWorkspaceId" IS NOT NULL
                    DO UPDATE SET "roleId" = EXCLUDED."roleId", "updatedAt" = now()
                    RETURNING 1
                    """, logger: logger) { assigned += 1 }
                guard assigned == 1 else { throw AtriumError(.notFound, "Workspace member \(memberID.lowercased) not found") }
            case .apiKey(let keyID):
                guard role.canBeAssignedToApiKeys else { throw AtriumError(.validationFailed, "Role \(role.label) cannot be assigned to API keys") }
                var assigned = 0
                for try await _ in try await connection.query("""
                    INSERT INTO core."roleTargets" ("workspaceId", "roleId", "apiKeyId")
                    SELECT \(workspace), \(roleID), "id" FROM core."apiKey"
                    WHERE "id" = \(keyID) AND "workspaceId" = \(workspace) AND "deletedAt" IS NULL
                    ON CONFLICT ("apiKeyId") WHERE "apiKeyId" IS NOT NULL DO UPDATE SET "roleId" = EXCLUDED."roleId", "updatedAt" = now()
                    RETURNING 1
                    """, logger: logger) { assigned += 1 }
                guard assigned == 1 else { throw AtriumError(.notFound, "API key \(keyID.lowercased) not found") }
            }
        }
    }

    // MARK: - Permissions

    /// Sets per-object overrides of `roleID` (`nil` values inherit the role's defaults), one row per object.
    public func upsertObjectPermissions(_ workspace: UUID, roleID: UUID, _ inputs: [ObjectPermissionInput], logger: Logger) async throws {
        try await requireEditable(roleID, workspace, logger: logger)
        try await change(workspace, logger: logger) { connection in
            for input in inputs {
                try await requireObject(input.objectMetadataId, workspace, on: connection, logger: logger)
                try await connection.query("""
                    INSERT INTO core."objectPermission" ("workspaceId", "roleId", "objectMetadataId", "canReadObjectRecords",
                        "canUpdateObjectRecords", "canSoftDeleteObjectRecords", "canDestroyObjectRecords")
                    VALUES (\(workspace), \(roleID), \(input.objectMetadataId), \(input.canReadObjectRecords), \(input.canUpdateObjectRecords),
                        \(input.canSoftDeleteObjectRecords), \(input.canDestroyObjectRecords))
                    ON CONFLICT ("objectMetadataId", "roleId") DO UPDATE SET
                        "canReadObjectRecords" = EXCLUDED."canReadObjectRecords", "canUpdateObjectRecords" = EXCLUDED."canUpdateObjectRecords",
                        "canSoftDeleteObjectRecords" = EXCLUDED."canSoftDeleteObjectRecords",
                        "canDestroyObjectRecords" = EXCLUDED."canDestroyObjectRecords", "updatedAt" = now()
                    """, logger: logger)
            }
        }
    }

    /// Sets field restrictions of `roleID` (only `false` or `nil`; a row with both `nil` lifts the restriction).
    public func upsertFieldPermissions(_ workspace: UUID, roleID: UUID, _ inputs: [FieldPermissionInput], logger: Logger) async throws {
        try await requireEditable(roleID, workspace, logger: logger)
        for input in inputs where input.canReadFieldValue == true || input.canUpdateFieldValue == true {
            throw AtriumError(.validationFailed, "Field permissions can only restrict: canReadFieldValue and canUpdateFieldValue must be false or null (field \(input.fieldMetadataId.lowercased))")
        }
        try await change(workspace, logger: logger) { connection in
            for input in inputs {
                var found = 0
                for try await _ in try await connection.query("""
                    SELECT 1 FROM core."fieldMetadata" WHERE "id" = \(input.fieldMetadataId)
                      AND "objectMetadataId" = \(input.objectMetadataId) AND "workspaceId" = \(workspace)
                    """, logger: logger) { found += 1 }
                guard found == 1 else { throw AtriumError(.notFound, "Field \(input.fieldMetadataId.lowercased) not found") }
                try await connection.query("""
                    INSERT INTO core."fieldPermission" ("workspaceId", "roleId", "objectMetadataId", "fieldMetadataId",
                        "canReadFieldValue", "canUpdateFieldValue")
                    VALUES (\(workspace), \(roleID), \(input.objectMetadataId), \(input.fieldMetadataId), \(input.canReadFieldValue), \(input.canUpdateFieldValue))
                    ON CONFLICT ("fieldMetadataId", "roleId") DO UPDATE SET
                        "canReadFieldValue" = EXCLUDED."canReadFieldValue", "canUpdateFieldValue" = EXCLUDED."canUpdateFieldValue", "updatedAt" = now()
                    """, logger: logger)
            }
        }
    }

    /// Replaces the permission flags of `roleID` with `flags`.
    public func upsertPermissionFlags(_ workspace: UUID, roleID: UUID, _ flags: [PermissionFlag], logger: Logger) async throws {
        try await requireEditable(roleID, workspace, logger: logger)
        let names = Array(Set(flags.map(\.rawValue))).sorted()
        try await change(workspace, logger: logger) { connection in
            try await connection.query("""
                DELETE FROM core."permissionFlag" WHERE "roleId" = \(roleID) AND "workspaceId" = \(workspace) AND NOT ("flag" = ANY(\(names)))
                """, logger: logger)
            try await connection.query("""
                INSERT INTO core."permissionFlag" ("workspaceId", "roleId", "flag") SELECT \(workspace), \(roleID), unnest(\(names)::varchar[])
                ON CONFLICT ("flag", "roleId") DO NOTHING
                """, logger: logger)
        }
    }

    // MARK: - Helpers

    func requireEditable(_ roleID: UUID, _ workspace: UUID, logger: Logger) async throws {
        let role = try await role(roleID, in: workspace, logger: logger)
        guard role.isEditable else { throw AtriumError(.forbidden, "Role \(role.label) cannot be edited") }
    }

    func requireObject(_ objectID: UUID, _ workspace: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        var found = 0
        for try await _ in try await connection.query("""
            SELECT 1 FROM core."objectMetadata" WHERE "id" = \(objectID) AND "workspaceId" = \(workspace)
            """, logger: logger) { found += 1 }
        guard found == 1 else { throw AtriumError(.notFound, "Object \(objectID.lowercased) not found") }
    }

    /// Runs `body` as a metadata change, mapping a unique violation to `conflict`.
    func change(_ workspace: UUID, logger: Logger, _ body: @escaping @Sendable (PostgresConnection) async throws -> Void) async throws {
        do {
            _ = try await cache.change(workspace, logger: logger, body)
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError as? AtriumError { throw closure }
            if case .uniqueViolation = DatabaseFailure(error) {
                throw AtriumError(.conflict, "A role with this label already exists", underlying: error)
            }
            throw error
        }
    }
}

/// Who a role is given to.
public enum RoleAssignee: Sendable {
    /// A member, by workspaceMember id, in the workspace schema `schema`.
    case workspaceMember(UUID, schema: String)
    case apiKey(UUID)
}

/// The columns of a role to create or change; nil leaves a column as it is (or at its default on create).
public struct RoleInput: Sendable, Decodable {
    public var id: UUID?
    public var label: String?
    public var description: String?
    public var icon: String?
    public var canUpdateAllSettings: Bool?
    public var canAccessAllTools: Bool?
    public var canReadAllObjectRecords: Bool?
    public var canUpdateAllObjectRecords: Bool?
    public var canSoftDeleteAllObjectRecords: Bool?
    public var canDestroyAllObjectRecords: Bool?
    public var canBeAssignedToUsers: Bool?
    public var canBeAssignedToAgents: Bool?
    public var canBeAssignedToApiKeys: Bool?

    public init(id: UUID? = nil, label: String? = nil, description: String? = nil, icon: String? = nil,
                canUpdateAllSettings: Bool? = nil, canAccessAllTools: Bool? = nil, canReadAllObjectRecords: Bool? = nil,
                canUpdateAllObjectRecords: Bool? = nil, canSoftDeleteAllObjectRecords: Bool? = nil,
                canDestroyAllObjectRecords: Bool? = nil, canBeAssignedToUsers: Bool? = nil, canBeAssignedToAgents: Bool? = nil,
                canBeAssignedToApiKeys: Bool? = nil) {
        self.id = id
        self.label = label
        self.description = description
        self.icon = icon
        self.canUpdateAllSettings = canUpdateAllSettings
        self.canAccessAllTools = canAccessAllTools
        self.canReadAllObjectRecords = canReadAllObjectRecords
        self.canUpdateAllObjectRecords = canUpdateAllObjectRecords
        self.canSoftDeleteAllObjectRecords = canSoftDeleteAllObjectRecords
        self.canDestroyAllObjectRecords = canDestroyAllObjectRecords
        self.canBeAssignedToUsers = canBeAssignedToUsers
        self.canBeAssignedToAgents = canBeAssignedToAgents
        self.canBeAssignedToApiKeys = canBeAssignedToApiKeys
    }
}

/// One object's overrides (Twenty's `UpsertObjectPermissionsInput.objectPermissions[]`).
public struct ObjectPermissionInput: Sendable, Decodable {
    public var objectMetadataId: UUID
    public var canReadObjectRecords: Bool?
    public var canUpdateObjectRecords: Bool?
    public var canSoftDeleteObjectRecords: Bool?
    public var canDestroyObjectRecords: Bool?

    public init(objectMetadataId: UUID, canReadObjectRecords: Bool? = nil, canUpdateObjectRecords: Bool? = nil,
                canSoftDeleteObjectRecords: Bool? = nil, canDestroyObjectRecords: Bool? = nil) {
        self.objectMetadataId = objectMetadataId
        self.canReadObjectRecords = canReadObjectRecords
        self.canUpdateObjectRecords = canUpdateObjectRecords
        self.canSoftDeleteObjectRecords = canSoftDeleteObjectRecords
        self.canDestroyObjectRecords = canDestroyObjectRecords
    }
}

/// One field's restriction (Twenty's `UpsertFieldPermissionsInput.fieldPermissions[]`).
public struct FieldPermissionInput: Sendable, Decodable {
    public var objectMetadataId: UUID
    public var fieldMetadataId: UUID
    public var canReadFieldValue: Bool?
    public var canUpdateFieldValue: Bool?

    public init(objectMetadataId: UUID, fieldMetadataId: UUID, canReadFieldValue: Bool? = nil, canUpdateFieldValue: Bool? = nil) {
        self.objectMetadataId = objectMetadataId
        self.fieldMetadataId = fieldMetadataId
        self.canReadFieldValue = canReadFieldValue
        self.canUpdateFieldValue = canUpdateFieldValue
    }
}

/// A workspace member holding a role (for `Role.workspaceMembers`).
public struct RoleMember: Sendable {
    public let roleID: UUID
    public let workspaceMemberID: UUID
    public let firstName: String
    public let lastName: String
    public let userEmail: String
}

extension RoleAdministration {
    /// The members of `workspace` (schema `schema`) with their role.
    public func members(_ workspace: UUID, schema: String, logger: Logger) async throws -> [RoleMember] {
        let schemaName = try SQLIdentifier(schema)
        let table = try SQLIdentifier("workspaceMember")
        let rows = try await cache.database.query("""
            SELECT t."roleId", m."id", COALESCE(m."nameFirstName", ''), COALESCE(m."nameLastName", ''), COALESCE(m."userEmail", '')
            FROM core."roleTargets" t
            JOIN core."userWorkspace" uw ON uw."id" = t."userWorkspaceId"
            JOIN \(schemaName).\(table) m ON m."userId" = uw."userId" AND m."deletedAt" IS NULL
            WHERE t."workspaceId" = \(workspace)
            ORDER BY m."userEmail", m."id"
            """, logger: logger)
        var members: [RoleMember] = []
        for try await (role, id, first, last, email) in rows.decode((UUID, UUID, String, String, String).self) {
            members.append(RoleMember(roleID: role, workspaceMemberID: id, firstName: first, lastName: last, userEmail: email))
        }
        return members
    }
}
