import Foundation

/// A `core."role"` row (CONTRACT.md §7), as the API shows it.
public struct RoleRow: Sendable, Hashable, Codable {
    public var id: UUID
    public var label: String
    public var description: String?
    public var icon: String?
    public var isEditable: Bool
    public var canUpdateAllSettings: Bool
    public var canAccessAllTools: Bool
    public var canReadAllObjectRecords: Bool
    public var canUpdateAllObjectRecords: Bool
    public var canSoftDeleteAllObjectRecords: Bool
    public var canDestroyAllObjectRecords: Bool
    public var canBeAssignedToUsers: Bool
    public var canBeAssignedToAgents: Bool
    public var canBeAssignedToApiKeys: Bool
}

/// A `core."objectPermission"` row: per-object overrides, `nil` meaning "the role's default".
public struct ObjectPermissionRow: Sendable, Hashable, Codable {
    public var id: UUID
    public var roleId: UUID
    public var objectMetadataId: UUID
    public var canReadObjectRecords: Bool?
    public var canUpdateObjectRecords: Bool?
    public var canSoftDeleteObjectRecords: Bool?
    public var canDestroyObjectRecords: Bool?
}

/// A `core."fieldPermission"` row: restrictions only (`false` or `nil`).
public struct FieldPermissionRow: Sendable, Hashable, Codable {
    public var id: UUID
    public var roleId: UUID
    public var objectMetadataId: UUID
    public var fieldMetadataId: UUID
    public var canReadFieldValue: Bool?
    public var canUpdateFieldValue: Bool?
}

/// A `core."permissionFlag"` row.
public struct PermissionFlagRow: Sendable, Hashable, Codable {
    public var id: UUID
    public var roleId: UUID
    public var flag: String
}

/// A `core."rowLevelPermissionPredicate"` row: `<field>[.<subFieldName>] <operand> <value>`, or, when
/// `workspaceMemberFieldMetadataId` is set, the current workspace member's field instead of `value` ("owner = me").
public struct RowLevelPredicateRow: Sendable, Hashable, Codable {
    public var id: UUID
    public var roleId: UUID
    public var objectMetadataId: UUID
    public var fieldMetadataId: UUID
    public var operand: String
    public var value: JSONValue?
    public var subFieldName: String?
    public var workspaceMemberFieldMetadataId: UUID?
    public var workspaceMemberSubFieldName: String?
    public var rowLevelPermissionPredicateGroupId: UUID?
    public var positionInRowLevelPermissionPredicateGroup: Double?
}

/// A `core."rowLevelPermissionPredicateGroup"` row: its predicates and child groups joined by `logicalOperator`.
public struct RowLevelPredicateGroupRow: Sendable, Hashable, Codable {
    public var id: UUID
    public var roleId: UUID
    public var objectMetadataId: UUID
    public var parentRowLevelPermissionPredicateGroupId: UUID?
    public var logicalOperator: String
    public var positionInRowLevelPermissionPredicateGroup: Double?
}

/// Every permission row of one workspace, as one query reads it (``PermissionsLoader``).
public struct PermissionRows: Sendable, Hashable, Codable {
    /// `core.workspace."metadataVersion"` when read: role changes bump it, so it versions these rows too.
    public var metadataVersion: Int
    public var defaultRoleId: UUID?
    public var roles: [RoleRow]
    public var objectPermissions: [ObjectPermissionRow]
    public var fieldPermissions: [FieldPermissionRow]
    public var permissionFlags: [PermissionFlagRow]
    public var predicates: [RowLevelPredicateRow]
    public var predicateGroups: [RowLevelPredicateGroupRow]
    public var targets: [RoleTargetRow]
}

/// A `core."roleTargets"` row, with the member's user id (what access tokens carry) beside its userWorkspace id.
public struct RoleTargetRow: Sendable, Hashable, Codable {
    public var roleId: UUID
    public var userWorkspaceId: UUID?
    public var userId: UUID?
    public var apiKeyId: UUID?
    public var agentId: UUID?
}
