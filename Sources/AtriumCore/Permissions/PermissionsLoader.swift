import Foundation
import Logging
import PostgresNIO

/// Reads every permission row of a workspace in ONE statement: PostgreSQL renders them as one JSON document.
struct PermissionsLoader: Sendable {
    let database: Database

    /// The rows of `workspace`, or nil when there is no such workspace.
    func load(_ workspace: UUID, logger: Logger) async throws -> PermissionRows? {
        let rows = try await database.query("""
            SELECT json_build_object(
              'metadataVersion', w."metadataVersion",
              'defaultRoleId', w."defaultRoleId",
              'roles', COALESCE((SELECT json_agg(json_build_object('id', r."id", 'label', r."label",
                  'description', r."description", 'icon', r."icon", 'isEditable', r."isEditable",
                  'canUpdateAllSettings', r."canUpdateAllSettings", 'canAccessAllTools', r."canAccessAllTools",
                  'canReadAllObjectRecords', r."canReadAllObjectRecords", 'canUpdateAllObjectRecords', r."canUpdateAllObjectRecords",
                  'canSoftDeleteAllObjectRecords', r."canSoftDeleteAllObjectRecords",
                  'canDestroyAllObjectRecords', r."canDestroyAllObjectRecords", 'canBeAssignedToUsers', r."canBeAssignedToUsers",
                  'canBeAssignedToAgents', r."canBeAssignedToAgents", 'canBeAssignedToApiKeys', r."canBeAssignedToApiKeys")
                  ORDER BY r."label") FROM core."role" r WHERE r."workspaceId" = w."id"), '[]'::json),
              'objectPermissions', COALESCE((SELECT json_agg(json_build_object('id', o."id", 'roleId', o."roleId",
                  'objectMetadataId', o."objectMetadataId", 'canReadObjectRecords', o."canReadObjectRecords",
                  'canUpdateObjectRecords', o."canUpdateObjectRecords", 'canSoftDeleteObjectRecords', o."canSoftDeleteObjectRecords",
                  'canDestroyObjectRecords', o."canDestroyObjectRecords") ORDER BY o."id")
                  FROM core."objectPermission" o WHERE o."workspaceId" = w."id"), '[]'::json),
              'fieldPermissions', COALESCE((SELECT json_agg(json_build_object('id', f."id", 'roleId', f."roleId",
                  'objectMetadataId', f."objectMetadataId", 'fieldMetadataId', f."fieldMetadataId",
                  'canReadFieldValue', f."canReadFieldValue", 'canUpdateFieldValue', f."canUpdateFieldValue") ORDER BY f."id")
                  FROM core."fieldPermission" f WHERE f."workspaceId" = w."id"), '[]'::json),
              'permissionFlags', COALESCE((SELECT json_agg(json_build_object('id', p."id", 'roleId', p."roleId", 'flag', p."flag")
                  ORDER BY p."id") FROM core."permissionFlag" p WHERE p."workspaceId" = w."id"), '[]'::json),
              'predicates', COALESCE((SELECT json_agg(json_build_object('id', q."id", 'roleId', q."roleId",
                  'objectMetadataId', q."objectMetadataId", 'fieldMetadataId', q."fieldMetadataId", 'operand', q."operand",
                  'value', q."value", 'subFieldName', q."subFieldName",
                  'workspaceMemberFieldMetadataId', q."workspaceMemberFieldMetadataId",
                  'workspaceMemberSubFieldName', q."workspaceMemberSubFieldName",
                  'rowLevelPermissionPredicateGroupId', q."rowLevelPermissionPredicateGroupId",
                  'positionInRowLevelPermissionPredicateGroup', q."positionInRowLevelPermissionPredicateGroup") ORDER BY q."id")
                  FROM core."rowLevelPermissionPredicate" q WHERE q."workspaceId" = w."id" AND q."deletedAt" IS NULL), '[]'::json),
              'predicateGroups', COALESCE((SELECT json_agg(json_build_object('id', g."id", 'roleId', g."roleId",
                  'objectMetadataId', g."objectMetadataId",
                  'parentRowLevelPermissionPredicateGroupId', g."parentRowLevelPermissionPredicateGroupId",
                  'logicalOperator', g."logicalOperator",
                  'positionInRowLevelPermissionPredicateGroup', g."positionInRowLevelPermissionPredicateGroup") ORDER BY g."id")
                  FROM core."rowLevelPermissionPredicateGroup" g WHERE g."workspaceId" = w."id" AND g."deletedAt" IS NULL), '[]'::json),
              'targets', COALESCE((SELECT json_agg(json_build_object('roleId', t."roleId", 'userWorkspaceId', t."userWorkspaceId",
                  'userId', uw."userId", 'apiKeyId', t."apiKeyId", 'agentId', t."agentId") ORDER BY t."id")
                  FROM core."roleTargets" t LEFT JOIN core."userWorkspace" uw ON uw."id" = t."userWorkspaceId"
                  WHERE t."workspaceId" = w."id"), '[]'::json)
            )::text
            FROM core."workspace" w WHERE w."id" = \(workspace)
            """, logger: logger)
        for try await text in rows.decode(String.self) {
            return try JSONDecoder().decode(PermissionRows.self, from: Data(text.utf8))
        }
        return nil
    }
}
