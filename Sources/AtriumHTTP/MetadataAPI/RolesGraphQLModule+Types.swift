import AtriumCore
import Foundation
import GraphQL
import OrderedCollections

extension RolesGraphQLModule {
    /// The object and input types of roles and API keys, with Twenty's names.
    struct Types {
        let role: GraphQLObjectType
        let member: GraphQLObjectType
        let objectPermission: GraphQLObjectType
        let fieldPermission: GraphQLObjectType
        let permissionFlag: GraphQLObjectType
        let predicate: GraphQLObjectType
        let predicateGroup: GraphQLObjectType
        let predicatesResult: GraphQLObjectType
        let apiKey: GraphQLObjectType
        let apiKeyToken: GraphQLObjectType
        let createRole: GraphQLInputObjectType
        let updateRole: GraphQLInputObjectType
        let upsertObjectPermissions: GraphQLInputObjectType
        let upsertFieldPermissions: GraphQLInputObjectType
        let upsertPermissionFlags: GraphQLInputObjectType
        let upsertPredicates: GraphQLInputObjectType
        let createApiKey: GraphQLInputObjectType
        let updateApiKey: GraphQLInputObjectType
        let apiKeyID: GraphQLInputObjectType
        let revokeApiKey: GraphQLInputObjectType

        /// The boolean columns of a role, in Twenty's order.
        static let roleFlags = [
            "canUpdateAllSettings", "canAccessAllTools", "canReadAllObjectRecords", "canUpdateAllObjectRecords",
            "canSoftDeleteAllObjectRecords", "canDestroyAllObjectRecords", "canBeAssignedToUsers", "canBeAssignedToAgents",
            "canBeAssignedToApiKeys",
        ]

        init(_ shared: MetadataGraphQLShared) throws {
            let string = GraphQLString, boolean = GraphQLBoolean
            func required(_ type: any GraphQLOutputType) throws -> GraphQLField { GraphQLField(type: try GraphQLNonNull(type)) }
            func list(_ type: any GraphQLOutputType) throws -> GraphQLField { GraphQLField(type: try GraphQLNonNull(GraphQLList(try GraphQLNonNull(type)))) }
            func input(_ type: any GraphQLInputType) -> InputObjectField { InputObjectField(type: type) }
            func requiredInput(_ type: any GraphQLInputType) throws -> InputObjectField { InputObjectField(type: try GraphQLNonNull(type)) }
            let flagType = try GraphQLEnumType(name: "PermissionFlagType", values: PermissionFlag.allCases.reduce(into: GraphQLEnumValueMap()) {
                $0[$1.rawValue] = GraphQLEnumValue(value: .string($1.rawValue))
            })
            member = shared.workspaceMember
            objectPermission = try GraphQLObjectType(name: "ObjectPermission", fields: [
                "id": GraphQLField(type: shared.uuid), "roleId": GraphQLField(type: shared.uuid), "objectMetadataId": required(shared.uuid),
                "canReadObjectRecords": GraphQLField(type: boolean), "canUpdateObjectRecords": GraphQLField(type: boolean),
                "canSoftDeleteObjectRecords": GraphQLField(type: boolean), "canDestroyObjectRecords": GraphQLField(type: boolean),
            ])
            fieldPermission = try GraphQLObjectType(name: "FieldPermission", fields: [
                "id": required(shared.uuid), "roleId": required(shared.uuid), "objectMetadataId": required(shared.uuid),
                "fieldMetadataId": required(shared.uuid), "canReadFieldValue": GraphQLField(type: boolean),
                "canUpdateFieldValue": GraphQLField(type: boolean),
            ])
            permissionFlag = try GraphQLObjectType(name: "PermissionFlag", fields: [
                "id": required(shared.uuid), "roleId": required(shared.uuid), "flag": required(flagType),
            ])
            predicate = try GraphQLObjectType(name: "RowLevelPermissionPredicate", fields: [
                "id": required(shared.uuid), "roleId": required(shared.uuid), "objectMetadataId": required(shared.uuid),
                "fieldMetadataId": required(shared.uuid), "operand": required(string), "value": GraphQLField(type: shared.json),
                "subFieldName": GraphQLField(type: string), "workspaceMemberFieldMetadataId": GraphQLField(type: shared.uuid),
                "workspaceMemberSubFieldName": GraphQLField(type: string),
                "rowLevelPermissionPredicateGroupId": GraphQLField(type: shared.uuid),
                "positionInRowLevelPermissionPredicateGroup": GraphQLField(type: GraphQLFloat),
            ])
            predicateGroup = try GraphQLObjectType(name: "RowLevelPermissionPredicateGroup", fields: [
                "id": required(shared.uuid), "roleId": required(shared.uuid), "objectMetadataId": required(shared.uuid),
                "parentRowLevelPermissionPredicateGroupId": GraphQLField(type: shared.uuid), "logicalOperator": required(string),
                "positionInRowLevelPermissionPredicateGroup": GraphQLField(type: GraphQLFloat),
            ])
            predicatesResult = try GraphQLObjectType(name: "UpsertRowLevelPermissionPredicatesResult", fields: [
                "predicates": list(predicate), "predicateGroups": list(predicateGroup),
            ])
            let keyForRole = try GraphQLObjectType(name: "ApiKeyForRole", fields: [
                "id": required(shared.uuid), "name": required(string), "expiresAt": required(shared.dateTime),
                "revokedAt": GraphQLField(type: shared.dateTime),
            ])
            var roleFields: GraphQLFieldMap = [
                "id": try required(shared.uuid), "label": try required(string), "description": GraphQLField(type: string),
                "icon": GraphQLField(type: string), "isEditable": try required(boolean),
                "workspaceMembers": try list(member), "apiKeys": try list(keyForRole), "permissionFlags": try list(permissionFlag),
                "objectPermissions": try list(objectPermission), "fieldPermissions": try list(fieldPermission),
                "rowLevelPermissionPredicates": try list(predicate), "rowLevelPermissionPredicateGroups": try list(predicateGroup),
            ]
            for flag in Self.roleFlags { roleFields[flag] = try required(boolean) }
            role = try GraphQLObjectType(name: "Role", fields: roleFields)
            apiKey = try GraphQLObjectType(name: "ApiKey", fields: [
                "id": required(shared.uuid), "name": required(string), "expiresAt": required(shared.dateTime),
                "revokedAt": GraphQLField(type: shared.dateTime), "createdAt": required(shared.dateTime),
                "updatedAt": required(shared.dateTime), "role": GraphQLField(type: role),
            ])
            apiKeyToken = try GraphQLObjectType(name: "ApiKeyToken", fields: ["token": required(string)])

            var roleInputs: InputObjectFieldMap = [
                "id": input(shared.uuid), "label": input(string), "description": input(string), "icon": input(string),
            ]
            for flag in Self.roleFlags { roleInputs[flag] = input(boolean) }
            var createRoleInputs = roleInputs
            createRoleInputs["label"] = try requiredInput(string)
            createRole = try GraphQLInputObjectType(name: "CreateRoleInput", fields: createRoleInputs)
            var payload = roleInputs
            payload["id"] = nil
            let updatePayload = try GraphQLInputObjectType(name: "UpdateRolePayload", fields: payload)
            updateRole = try GraphQLInputObjectType(name: "UpdateRoleInput", fields: [
                "id": try requiredInput(shared.uuid), "update": try requiredInput(updatePayload),
            ])
            let objectInput = try GraphQLInputObjectType(name: "ObjectPermissionInput", fields: [
                "objectMetadataId": try requiredInput(shared.uuid), "canReadObjectRecords": input(boolean),
                "canUpdateObjectRecords": input(boolean), "canSoftDeleteObjectRecords": input(boolean),
                "canDestroyObjectRecords": input(boolean),
            ])
            upsertObjectPermissions = try GraphQLInputObjectType(name: "UpsertObjectPermissionsInput", fields: [
                "roleId": try requiredInput(shared.uuid), "objectPermissions": try requiredInput(GraphQLList(GraphQLNonNull(objectInput))),
            ])
            let fieldInput = try GraphQLInputObjectType(name: "FieldPermissionInput", fields: [
                "objectMetadataId": try requiredInput(shared.uuid), "fieldMetadataId": try requiredInput(shared.uuid),
                "canReadFieldValue": input(boolean), "canUpdateFieldValue": input(boolean),
            ])
            upsertFieldPermissions = try GraphQLInputObjectType(name: "UpsertFieldPermissionsInput", fields: [
                "roleId": try requiredInput(shared.uuid), "fieldPermissions": try requiredInput(GraphQLList(GraphQLNonNull(fieldInput))),
            ])
            upsertPermissionFlags = try GraphQLInputObjectType(name: "UpsertPermissionFlagsInput", fields: [
                "roleId": try requiredInput(shared.uuid), "permissionFlagKeys": try requiredInput(GraphQLList(GraphQLNonNull(flagType))),
            ])
            let predicateInput = try GraphQLInputObjectType(name: "RowLevelPermissionPredicateInput", fields: [
                "id": input(shared.uuid), "fieldMetadataId": try requiredInput(shared.uuid), "operand": try requiredInput(string),
                "value": input(shared.json), "subFieldName": input(string), "workspaceMemberFieldMetadataId": input(shared.uuid),
                "workspaceMemberSubFieldName": input(string), "rowLevelPermissionPredicateGroupId": input(shared.uuid),
                "positionInRowLevelPermissionPredicateGroup": input(GraphQLFloat),
            ])
            let groupInput = try GraphQLInputObjectType(name: "RowLevelPermissionPredicateGroupInput", fields: [
                "id": input(shared.uuid), "parentRowLevelPermissionPredicateGroupId": input(shared.uuid), "logicalOperator": input(string),
                "positionInRowLevelPermissionPredicateGroup": input(GraphQLFloat),
            ])
            upsertPredicates = try GraphQLInputObjectType(name: "UpsertRowLevelPermissionPredicatesInput", fields: [
                "roleId": try requiredInput(shared.uuid), "objectMetadataId": try requiredInput(shared.uuid),
                "predicates": try requiredInput(GraphQLList(GraphQLNonNull(predicateInput))),
                "predicateGroups": input(GraphQLList(GraphQLNonNull(groupInput))),
            ])
            createApiKey = try GraphQLInputObjectType(name: "CreateApiKeyInput", fields: [
                "name": try requiredInput(string), "expiresAt": input(string), "revokedAt": input(string), "roleId": input(shared.uuid),
            ])
            updateApiKey = try GraphQLInputObjectType(name: "UpdateApiKeyInput", fields: [
                "id": try requiredInput(shared.uuid), "name": input(string), "expiresAt": input(string), "revokedAt": input(string),
            ])
            apiKeyID = try GraphQLInputObjectType(name: "GetApiKeyInput", fields: ["id": try requiredInput(shared.uuid)])
            revokeApiKey = try GraphQLInputObjectType(name: "RevokeApiKeyInput", fields: ["id": try requiredInput(shared.uuid)])
        }
    }
}
