import AtriumCore
import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import Logging

/// A fresh workspace with an Admin API key and a second key holding a role the test sets up before the application
/// starts, served by the real application; deleted afterwards.
struct PermissionsTestWorkspace: Sendable {
    let id: UUID
    let schema: WorkspaceSchema
    /// The Admin key.
    let admin: RESTTestWorkspace
    /// The key holding the test's role.
    let restricted: RESTTestWorkspace
    let restrictedKeyID: UUID
    let roleID: UUID

    /// What a test's setup gets: the roles of the new workspace and its metadata.
    struct Setup: Sendable {
        let workspace: UUID
        let schema: WorkspaceSchema
        let roles: RoleAdministration
        let database: Database

        func object(_ name: String) -> WorkspaceSchema.Object { schema.object(named: name)! }
        func field(_ object: String, _ name: String) -> WorkspaceSchema.Field { schema.object(named: object)!.field(named: name)! }
    }

    /// Runs `body` with `count` workspaces; `setup` makes each one's restricted role and returns its id.
    static func run(
        count: Int = 1, setup: @Sendable (Setup) async throws -> UUID, _ body: @Sendable ([PermissionsTestWorkspace]) async throws -> Void
    ) async throws {
        let logger = RESTTestWorkspace.logger
        try await TestTenants.with(count, name: "Permissions") { database, tenants in
            let apiKeys = APIKeyManager(database: database, secrets: TokenSecrets(appSecret: TestEnvironment.appSecret))
            let cache = WorkspaceSchemaCache(database: database, store: nil, logger: logger)
            var prepared: [(tenant: TestTenant, schema: WorkspaceSchema, token: String, keyID: UUID, roleID: UUID)] = []
            for tenant in tenants {
                let schema = try await cache.schema(for: tenant.id, logger: logger)
                let roleID = try await setup(Setup(workspace: tenant.id, schema: schema, roles: RoleAdministration(cache: cache), database: database))
                let key = try await apiKeys.create(workspaceID: tenant.id, name: "restricted", roleID: roleID, logger: logger)
                prepared.append((tenant, schema, key.token, key.key.id, roleID))
            }
            let workspaces = prepared
            try await withTestApplication { client, _ in
                try await body(workspaces.map { item in
                    PermissionsTestWorkspace(
                        id: item.tenant.id, schema: item.schema,
                        admin: RESTTestWorkspace(id: item.tenant.id, token: item.tenant.token, client: client),
                        restricted: RESTTestWorkspace(id: item.tenant.id, token: item.token, client: client),
                        restrictedKeyID: item.keyID, roleID: item.roleID)
                })
            }
        }
    }

    /// Creates a company as Admin and returns its id.
    func company(_ name: String, extra: String = "") async throws -> String {
        let created = try await admin.post("/rest/companies", #"{"name":"\#(name)"\#(extra)}"#)
        guard let id = created.body["data"]?["createCompany"]?["id"]?.string else {
            throw AtriumError(.internalError, "company not created: \(created)")
        }
        return id
    }

    /// Sends a GraphQL request to `/graphql` with `client`'s token.
    func graphQL(_ client: RESTTestWorkspace, _ query: String) async throws -> (status: Int, body: JSONValue) {
        try await Self.graphQL(client, query, path: "/graphql")
    }

    /// Sends a GraphQL request to `/metadata` with `client`'s token.
    func metadata(_ client: RESTTestWorkspace, _ query: String) async throws -> (status: Int, body: JSONValue) {
        try await Self.graphQL(client, query, path: "/metadata")
    }

    static func graphQL(_ client: RESTTestWorkspace, _ query: String, path: String) async throws -> (status: Int, body: JSONValue) {
        let body = try JSONEncoder().encode(JSONValue.object(["query": .string(query)]))
        let response = try await client.send(.post, path, json: String(decoding: body, as: UTF8.self))
        return (Int(response.status.code), response.body)
    }
}
