import AtriumCore
import Foundation
import Logging

/// What the roles and API key parts of `/metadata` (and `/rest/metadata/apiKeys`) work with, and the settings-flag
/// check every metadata operation uses.
struct PermissionsAPI: Sendable {
    let metadata: WorkspaceSchemaCache
    let permissions: PermissionsCache
    let roles: RoleAdministration
    let apiKeys: APIKeyManager

    init(metadata: WorkspaceSchemaCache, permissions: PermissionsCache, apiKeys: APIKeyManager) {
        self.metadata = metadata
        self.permissions = permissions
        self.roles = RoleAdministration(cache: metadata)
        self.apiKeys = apiKeys
    }

    /// The caller's role and member.
    func access(_ authentication: Authentication, logger: Logger) async throws -> RecordAccess {
        let schema = try await metadata.schema(for: authentication.workspaceID, logger: logger)
        return try await permissions.access(for: authentication.identity, in: schema, logger: logger)
    }

    /// - Throws: ``AtriumError`` `.forbidden` (403 / FORBIDDEN) unless the caller's role holds `flag`.
    func require(_ flag: PermissionFlag, _ authentication: Authentication, logger: Logger) async throws {
        try await access(authentication, logger: logger).require(flag)
    }

    /// The caller as the saved-view rules see them: their user (nil for an API key), and whether their role holds
    /// VIEWS.
    func viewCaller(_ authentication: Authentication, logger: Logger) async throws -> ViewStore.Caller {
        let access = try await access(authentication, logger: logger)
        let user: UUID? = if case .member(let userID, _, _) = authentication.identity { userID } else { nil }
        return ViewStore.Caller(userID: user, canManageViews: (try? access.require(.views)) != nil)
    }

    /// The workspace's permission rows and its members by role (for `getRoles`).
    func snapshot(_ workspace: UUID, logger: Logger) async throws -> (rows: PermissionRows, members: [RoleMember], keys: [APIKey]) {
        let schema = try await metadata.schema(for: workspace, logger: logger)
        async let rows = roles.rows(workspace, logger: logger)
        async let members = roles.members(workspace, schema: schema.databaseSchema, logger: logger)
        async let keys = apiKeys.list(workspaceID: workspace, logger: logger)
        return try await (rows, members, keys)
    }
}
