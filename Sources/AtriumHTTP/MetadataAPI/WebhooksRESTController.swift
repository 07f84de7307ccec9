import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird

/// Twenty's webhook REST routes, at `/rest/webhooks` and `/rest/metadata/webhooks` (needs the API_KEYS_AND_WEBHOOKS
/// settings flag):
/// - `GET` → the workspace's webhooks, oldest first: a bare array at `/rest/webhooks`, and
///   `{"data": [...], "pageInfo": {...}, "totalCount": n}` at `/rest/metadata/webhooks`, as Twenty pages metadata lists;
/// - `GET /{id}` → the webhook (404 when the workspace has none by that id);
/// - `POST` `{"targetUrl", "operations"?, "description"?, "secret"?, "id"?}` → 201 the webhook (operations `["*.*"]`
///   and a random secret unless given);
/// - `PATCH /{id}` `{"targetUrl"?, "operations"?, "description"?, "secret"?}` → the webhook;
/// - `DELETE /{id}` → `true`;
/// - beyond Twenty: `GET /{id}/deliveries[?limit=n]` → `{"data":{"webhookDeliveries":[{id, eventId, eventName, status,
///   attempts, lastStatusCode, lastError, lastDurationMs, nextAttemptAt, deliveredAt, createdAt}]}}` (newest first), and
///   `POST /{id}/deliveries/{deliveryId}/redeliver` → `true` (sent again at once, with a fresh set of attempts).
/// A webhook is `{id, targetUrl, operations, description, secret, applicationId, createdAt, updatedAt, deletedAt}`
/// (the secret in clear, as Twenty shows it to whoever may manage webhooks).
struct WebhooksRESTController: Sendable {
    let permissions: PermissionsAPI
    let webhooks: WebhookStore
    let deliveries: WebhookDeliveryLog

    func addRoutes(to group: RouterGroup<TenantRequestContext>, paged: Bool) {
        group.get("webhooks") { _, context in try await list(context, paged: paged) }
        group.post("webhooks") { request, context in try await create(request, context) }
        group.get("webhooks/:id") { _, context in try await one(context) }
        group.patch("webhooks/:id") { request, context in try await update(request, context) }
        group.delete("webhooks/:id") { _, context in try await delete(context) }
        group.get("webhooks/:id/deliveries") { request, context in try await log(request, context) }
        group.post("webhooks/:id/deliveries/:delivery/redeliver") { _, context in try await redeliver(context) }
    }

    func log(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        try await authorize(context)
        var limit = 100
        if let text = QueryString(request.uri.query)["limit"] {
            guard let parsed = Int(text), (1...500).contains(parsed) else { throw AtriumError(.badRequest, "limit must be an integer from 1 to 500") }
            limit = parsed
        }
        let body = try await deliveries.deliveries(webhook: try MetadataRESTController.id(context), workspace: context.workspaceID, limit: limit,
                                                   logger: context.logger)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    func redeliver(_ context: TenantRequestContext) async throws -> Response {
        try await authorize(context)
        let text = context.parameters.get("delivery") ?? ""
        guard let delivery = UUID(text: text) else { throw AtriumError(.badRequest, "'\(text)' is not a valid UUID") }
        guard try await deliveries.redeliver(delivery, webhook: try MetadataRESTController.id(context), workspace: context.workspaceID,
                                             logger: context.logger)
        else { throw AtriumError(.notFound, "Webhook delivery not found") }
        return try MetadataRESTController.json(true)
    }

    func list(_ context: TenantRequestContext, paged: Bool) async throws -> Response {
        try await authorize(context)
        let all = try await webhooks.list(workspace: context.workspaceID, logger: context.logger).map(Self.json)
        guard paged else { return try MetadataRESTController.json(.array(all)) }
        let ids = all.compactMap { $0["id"] }
        return try MetadataRESTController.json([
            "data": .array(all),
            "pageInfo": ["hasNextPage": false, "hasPreviousPage": false, "startCursor": ids.first ?? .null, "endCursor": ids.last ?? .null],
            "totalCount": .number(Double(all.count)),
        ])
    }

    func one(_ context: TenantRequestContext) async throws -> Response {
        try await authorize(context)
        let webhook = try await webhooks.webhook(id: try MetadataRESTController.id(context), workspace: context.workspaceID, logger: context.logger)
        return try MetadataRESTController.json(Self.json(webhook))
    }

    func create(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        try await authorize(context)
        let body = try await MetadataRESTController.body(request, context: context)
        guard case .string(let targetUrl)? = body["targetUrl"] else { throw AtriumError(.badRequest, "\"targetUrl\" is required") }
        var id: UUID?
        if let value = body["id"] {
            guard case .string(let text) = value, let parsed = UUID(text: text) else { throw AtriumError(.badRequest, "\"id\" must be a UUID") }
            id = parsed
        }
        let created = try await webhooks.create(
            id: id, targetUrl: targetUrl, operations: try Self.operations(body["operations"]), description: try Self.text(body["description"], "description") ?? nil,
            secret: try Self.text(body["secret"], "secret") ?? nil, workspace: context.workspaceID, logger: context.logger
        )
        return try MetadataRESTController.json(Self.json(created), status: .created)
    }

    func update(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        try await authorize(context)
        let body = try await MetadataRESTController.body(request, context: context)
        let changes = WebhookStore.Changes(
            targetUrl: try Self.text(body["targetUrl"], "targetUrl") ?? nil, operations: try Self.operations(body["operations"]),
            description: try Self.text(body["description"], "description"), secret: try Self.text(body["secret"], "secret") ?? nil
        )
        let updated = try await webhooks.update(id: try MetadataRESTController.id(context), changes, workspace: context.workspaceID,
                                                logger: context.logger)
        return try MetadataRESTController.json(Self.json(updated))
    }

    func delete(_ context: TenantRequestContext) async throws -> Response {
        try await authorize(context)
        _ = try await webhooks.delete(id: try MetadataRESTController.id(context), workspace: context.workspaceID, logger: context.logger)
        return try MetadataRESTController.json(true)
    }

    private func authorize(_ context: TenantRequestContext) async throws {
        try await permissions.require(.apiKeysAndWebhooks, Authentication(workspaceID: context.workspaceID, identity: context.identity),
                                      logger: context.logger)
    }

    /// A string member: nil when absent, `.some(nil)` when null.
    private static func text(_ value: JSONValue?, _ name: String) throws -> String?? {
        switch value {
        case nil: return nil
        case .null?: return .some(nil)
        case .string(let text)?: return .some(text)
        default: throw AtriumError(.badRequest, "\"\(name)\" must be a string")
        }
    }

    private static func operations(_ value: JSONValue?) throws -> [String]? {
        guard let value, value != .null else { return nil }
        guard case .array(let items) = value else { throw AtriumError(.badRequest, "\"operations\" must be an array of strings") }
        return try items.map { item in
            guard case .string(let text) = item else { throw AtriumError(.badRequest, "\"operations\" must be an array of strings") }
            return text
        }
    }

    static func json(_ webhook: Webhook) -> JSONValue {
        let date = { (value: Date) in JSONValue.string(UsersGraphQLModule.date(value)) }
        return [
            "id": .string(webhook.id.lowercased), "targetUrl": .string(webhook.targetUrl),
            "operations": .array(webhook.operations.map { .string($0) }), "description": webhook.description.map { .string($0) } ?? .null,
            "secret": .string(webhook.secret), "applicationId": .null, "createdAt": date(webhook.createdAt),
            "updatedAt": date(webhook.updatedAt), "deletedAt": webhook.deletedAt.map(date) ?? .null,
        ]
    }
}
