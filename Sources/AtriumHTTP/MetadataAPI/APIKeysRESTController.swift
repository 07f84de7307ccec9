import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird

/// `/rest/metadata/apiKeys[/{id}]`: the workspace's API keys in the REST metadata shapes (needs the
/// API_KEYS_AND_WEBHOOKS settings flag).
///
/// - `GET /rest/metadata/apiKeys` → `{"data": {"apiKeys": [...]}, "totalCount": n}`; `GET …/{id}` → `{"data": {"apiKey": {...}}}`
/// - `POST` `{"name", "expiresAt"?, "roleId"?}` → 201 `{"data": {"createApiKey": {..., "token": "<jwt>"}}}` (the token is
///   shown once; REST has no `generateApiKeyToken`, so it comes with the key; the role is Admin unless `roleId` is given)
/// - `PATCH …/{id}` `{"name"?, "revokedAt"?}` → `{"data": {"updateApiKey": {...}}}`; `DELETE …/{id}` revokes:
///   `{"data": {"revokeApiKey": {...}}}`.
/// Keys are `{id, name, expiresAt, revokedAt, createdAt, updatedAt, roleId}`.
struct APIKeysRESTController: Sendable {
    let permissions: PermissionsAPI

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get("apiKeys") { _, context in try await list(context) }
        group.post("apiKeys") { request, context in try await create(request, context) }
        group.get("apiKeys/:id") { _, context in try await one(context) }
        group.patch("apiKeys/:id") { request, context in try await update(request, context) }
        group.delete("apiKeys/:id") { _, context in try await revoke(context) }
    }

    func list(_ context: TenantRequestContext) async throws -> Response {
        let roles = try await authorized(context)
        let keys = try await permissions.apiKeys.list(workspaceID: context.workspaceID, logger: context.logger)
        return try MetadataRESTController.json([
            "data": ["apiKeys": .array(keys.map { Self.key($0, roles) })], "totalCount": .number(Double(keys.count)),
        ])
    }

    func one(_ context: TenantRequestContext) async throws -> Response {
        let roles = try await authorized(context)
        let key = try await permissions.apiKeys.key(id: try MetadataRESTController.id(context), workspaceID: context.workspaceID, logger: context.logger)
        return try MetadataRESTController.json(["data": ["apiKey": Self.key(key, roles)]])
    }

    func create(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        _ = try await authorized(context)
        let body = try await MetadataRESTController.body(request, context: context)
        guard case .string(let name)? = body["name"] else { throw AtriumError(.badRequest, "\"name\" is required") }
        var roleID: UUID?
        if case .string(let text)? = body["roleId"] {
            guard let id = UUID(text: text) else { throw AtriumError(.badRequest, "\"roleId\" must be a UUID") }
            roleID = id
        }
        let expiresAt: String? = if case .string(let text)? = body["expiresAt"] { text } else { nil }
        let created = try await permissions.apiKeys.create(workspaceID: context.workspaceID, name: name,
                                                           expiresIn: try RolesGraphQLModule.lifetime(until: expiresAt), roleID: roleID,
                                                           logger: context.logger)
        let roles = try await permissions.roles.rows(context.workspaceID, logger: context.logger)
        guard case .object(var value) = Self.key(created.key, roles) else { throw AtriumError(.internalError, "API key not rendered") }
        value["token"] = .string(created.token)
        return try MetadataRESTController.json(["data": ["createApiKey": .object(value)]], status: .created)
    }

    func update(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        _ = try await authorized(context)
        let id = try MetadataRESTController.id(context)
        let body = try await MetadataRESTController.body(request, context: context)
        if case .string(let name)? = body["name"] {
            try await permissions.apiKeys.rename(id: id, workspaceID: context.workspaceID, name: name, logger: context.logger)
        }
        if case .string? = body["revokedAt"] {
            try await permissions.apiKeys.revoke(id: id, workspaceID: context.workspaceID, logger: context.logger)
        }
        let key = try await permissions.apiKeys.key(id: id, workspaceID: context.workspaceID, logger: context.logger)
        let roles = try await permissions.roles.rows(context.workspaceID, logger: context.logger)
        return try MetadataRESTController.json(["data": ["updateApiKey": Self.key(key, roles)]])
    }

    func revoke(_ context: TenantRequestContext) async throws -> Response {
        let roles = try await authorized(context)
        let key = try await permissions.apiKeys.revoke(id: try MetadataRESTController.id(context), workspaceID: context.workspaceID,
                                                       logger: context.logger)
        return try MetadataRESTController.json(["data": ["revokeApiKey": Self.key(key, roles)]])
    }

    /// Checks API_KEYS_AND_WEBHOOKS and returns the permission rows (for the keys' roles).
    private func authorized(_ context: TenantRequestContext) async throws -> PermissionRows {
        try await permissions.require(.apiKeysAndWebhooks, Authentication(workspaceID: context.workspaceID, identity: context.identity),
                                      logger: context.logger)
        return try await permissions.roles.rows(context.workspaceID, logger: context.logger)
    }

    static func key(_ key: APIKey, _ rows: PermissionRows) -> JSONValue {
        let date = { (value: Date) in JSONValue.string(UsersGraphQLModule.date(value)) }
        return [
            "id": .string(key.id.lowercased), "name": .string(key.name), "expiresAt": date(key.expiresAt),
            "revokedAt": key.revokedAt.map(date) ?? .null, "createdAt": date(key.createdAt), "updatedAt": date(key.updatedAt),
            "roleId": rows.targets.first { $0.apiKeyId == key.id }.map { .string($0.roleId.lowercased) } ?? .null,
        ]
    }
}
