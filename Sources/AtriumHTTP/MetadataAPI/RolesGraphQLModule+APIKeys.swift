import AtriumCore
import Foundation
import GraphQL
import Logging
import OrderedCollections

extension RolesGraphQLModule {
    /// API keys on `/metadata`, with Twenty's names (its `api-key.resolver.ts` and `generateApiKeyToken`): queries
    /// `apiKeys`, `apiKey(input: {id})`; mutations `createApiKey(input)`, `updateApiKey(input)`, `revokeApiKey(input)`,
    /// `generateApiKeyToken(apiKeyId, expiresAt)`, `assignRoleToApiKey(apiKeyId, roleId)`. Every one needs the
    /// API_KEYS_AND_WEBHOOKS settings flag. `createApiKey` gives the key `roleId`, or the Admin role when it is absent.
    func apiKeyFields(_ types: Types, _ shared: MetadataGraphQLShared) throws -> (queries: GraphQLFieldMap, mutations: GraphQLFieldMap) {
        let uuid = GraphQLArgument(type: GraphQLNonNull(shared.uuid))
        let queries: GraphQLFieldMap = [
            "apiKeys": GraphQLField(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(types.apiKey)))) { _, _, context, _ in
                let (context, permissions, workspace) = try await Self.authorized(context, .apiKeysAndWebhooks)
                let snapshot = try await permissions.snapshot(workspace, logger: context.logger)
                return snapshot.keys.map { Self.apiKey($0, snapshot) }
            },
            "apiKey": GraphQLField(type: types.apiKey, args: ["input": GraphQLArgument(type: GraphQLNonNull(types.apiKeyID))]) { _, args, context, _ in
                let (context, permissions, workspace) = try await Self.authorized(context, .apiKeysAndWebhooks)
                return try await Self.apiKey(try Self.uuid(args["input"]["id"]), permissions, workspace, context.logger)
            },
        ]
        let mutations: GraphQLFieldMap = [
            "createApiKey": GraphQLField(type: GraphQLNonNull(types.apiKey), args: ["input": GraphQLArgument(type: GraphQLNonNull(types.createApiKey))]) { _, args, context, _ in
                let (context, permissions, workspace) = try await Self.authorized(context, .apiKeysAndWebhooks)
                let input = args["input"]
                let lifetime = try Self.lifetime(until: input["expiresAt"].string)
                let roleID = input["roleId"].string == nil ? nil : try Self.uuid(input["roleId"])
                let created = try await permissions.apiKeys.create(workspaceID: workspace, name: input["name"].string ?? "", expiresIn: lifetime,
                                                                   roleID: roleID, logger: context.logger)
                return try await Self.apiKey(created.key.id, permissions, workspace, context.logger)
            },
            "updateApiKey": GraphQLField(type: types.apiKey, args: ["input": GraphQLArgument(type: GraphQLNonNull(types.updateApiKey))]) { _, args, context, _ in
                let (context, permissions, workspace) = try await Self.authorized(context, .apiKeysAndWebhooks)
                let input = args["input"]
                let id = try Self.uuid(input["id"])
                if let name = input["name"].string { try await permissions.apiKeys.rename(id: id, workspaceID: workspace, name: name, logger: context.logger) }
                if input["revokedAt"].string != nil { try await permissions.apiKeys.revoke(id: id, workspaceID: workspace, logger: context.logger) }
                return try await Self.apiKey(id, permissions, workspace, context.logger)
            },
            "revokeApiKey": GraphQLField(type: types.apiKey, args: ["input": GraphQLArgument(type: GraphQLNonNull(types.revokeApiKey))]) { _, args, context, _ in
                let (context, permissions, workspace) = try await Self.authorized(context, .apiKeysAndWebhooks)
                let id = try Self.uuid(args["input"]["id"])
                try await permissions.apiKeys.revoke(id: id, workspaceID: workspace, logger: context.logger)
                return try await Self.apiKey(id, permissions, workspace, context.logger)
            },
            "generateApiKeyToken": GraphQLField(type: types.apiKeyToken, args: [
                "apiKeyId": uuid, "expiresAt": GraphQLArgument(type: GraphQLNonNull(GraphQLString)),
            ]) { _, args, context, _ in
                let (context, permissions, workspace) = try await Self.authorized(context, .apiKeysAndWebhooks)
                let key = try await permissions.apiKeys.key(id: try Self.uuid(args["apiKeyId"]), workspaceID: workspace, logger: context.logger)
                if key.revokedAt != nil { throw AtriumError.apiKeyRevoked() }
                let expiresAt = try Self.date(args["expiresAt"].string)
                return ["token": try await permissions.apiKeys.token(for: key, expiresAt: expiresAt)] as [String: any Sendable]
            },
            "assignRoleToApiKey": GraphQLField(type: GraphQLNonNull(GraphQLBoolean), args: ["apiKeyId": uuid, "roleId": uuid]) { _, args, context, _ in
                let (context, permissions, workspace) = try await Self.authorized(context, .apiKeysAndWebhooks)
                try await permissions.roles.assign(workspace, roleID: try Self.uuid(args["roleId"]), to: .apiKey(try Self.uuid(args["apiKeyId"])),
                                                   logger: context.logger)
                return true
            },
        ]
        return (queries, mutations)
    }

    static func apiKey(_ id: UUID, _ permissions: PermissionsAPI, _ workspace: UUID, _ logger: Logger) async throws -> [String: any Sendable] {
        let snapshot = try await permissions.snapshot(workspace, logger: logger)
        guard let key = snapshot.keys.first(where: { $0.id == id }) else {
            throw AtriumError(.notFound, "API key \(id.lowercased) not found")
        }
        return apiKey(key, snapshot)
    }

    static func apiKey(_ key: APIKey, _ snapshot: (rows: PermissionRows, members: [RoleMember], keys: [APIKey])) -> [String: any Sendable] {
        let roleID = snapshot.rows.targets.first { $0.apiKeyId == key.id }?.roleId
        let role = roleID.flatMap { id in snapshot.rows.roles.first { $0.id == id } }
        return [
            "id": key.id, "name": key.name, "expiresAt": UsersGraphQLModule.date(key.expiresAt),
            "revokedAt": key.revokedAt.map(UsersGraphQLModule.date) as (any Sendable)?,
            "createdAt": UsersGraphQLModule.date(key.createdAt), "updatedAt": UsersGraphQLModule.date(key.updatedAt),
            "role": role.map { Self.role($0, snapshot) } as (any Sendable)?,
        ]
    }

    /// An ISO 8601 date (with or without fractional seconds); nil for nil.
    static func date(_ text: String?) throws -> Date? {
        guard let text else { return nil }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        throw AtriumError(.validationFailed, "'\(text)' is not an ISO 8601 date")
    }

    /// The lifetime of a key that expires at `text` (nil: the default 100 years).
    static func lifetime(until text: String?) throws -> Duration? {
        guard let expiresAt = try date(text) else { return nil }
        let seconds = expiresAt.timeIntervalSinceNow.rounded(.down)
        guard seconds > 0 else { throw AtriumError(.validationFailed, "expiresAt must be in the future") }
        guard let whole = Int64(exactly: seconds) else { throw AtriumError(.validationFailed, "expiresAt is too far in the future") }
        return .seconds(whole)
    }
}
