import Foundation

/// A workspace's roles with their effective permissions and who holds which role, at one metadata version.
///
/// Role changes bump `core.workspace."metadataVersion"`, so this snapshot is versioned, shared and invalidated exactly
/// like the metadata snapshot it is computed against (see ``PermissionsCache``).
public struct WorkspacePermissions: Sendable {
    public let workspaceID: UUID
    public let rows: PermissionRows
    public var metadataVersion: Int { rows.metadataVersion }
    /// Role id → effective permissions.
    public let roles: [UUID: RolePermissions]
    let memberRoles: [UUID: UUID]
    let apiKeyRoles: [UUID: UUID]

    init(rows: PermissionRows, schema: WorkspaceSchema) {
        self.workspaceID = schema.workspaceID
        self.rows = rows
        var roles: [UUID: RolePermissions] = [:]
        for role in rows.roles { roles[role.id] = RolePermissions.compute(role, rows: rows, schema: schema) }
        self.roles = roles
        var memberRoles: [UUID: UUID] = [:]
        var apiKeyRoles: [UUID: UUID] = [:]
        for target in rows.targets {
            if let user = target.userId { memberRoles[user] = target.roleId }
            if let key = target.apiKeyId { apiKeyRoles[key] = target.roleId }
        }
        self.memberRoles = memberRoles
        self.apiKeyRoles = apiKeyRoles
    }

    /// The role `identity` holds, or nil when it holds none.
    public func role(of identity: Identity) -> RolePermissions? {
        switch identity {
        case .member(let user, _, _): memberRoles[user].flatMap { roles[$0] }
        case .apiKey(let key, _): apiKeyRoles[key].flatMap { roles[$0] }
        }
    }
}
