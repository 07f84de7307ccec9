import Foundation
import Logging
import PostgresNIO

/// The `webhooks` consumer: for each event, one delivery per live webhook of the workspace whose operations match
/// its name, written to `core."webhookDelivery"` with the exact body to send (Twenty's `CallWebhookJob` data without the
/// secret). The delivery loop (``WebhookDeliveryLoop``) sends them. Delivered twice, an event still makes one delivery
/// per webhook (the log's unique `(webhookId, eventId)`).
public struct WebhookFanOut: EventConsumer {
    public let name = "webhooks"
    let store: WebhookStore

    public init(store: WebhookStore) {
        self.store = store
    }

    public func handle(_ event: RecordEvent, logger: Logger) async throws {
        let webhooks = try await store.list(workspace: event.workspaceId, logger: logger).filter { $0.matches(event.name) }
        guard !webhooks.isEmpty else { return }
        let objectName = String(event.objectName)
        for webhook in webhooks {
            let body = try Self.body(of: event, objectName: objectName, for: webhook)
            try await store.database.query("""
                INSERT INTO core."webhookDelivery" ("workspaceId", "webhookId", "eventId", "eventName", "body")
                VALUES (\(event.workspaceId), \(webhook.id), \(event.id), \(event.name), \(body))
                ON CONFLICT ("webhookId", "eventId") DO NOTHING
                """, logger: logger)
        }
    }

    /// Twenty's webhook body, keys in its order: `targetUrl, eventName, objectMetadata {id, nameSingular}, workspaceId,
    /// webhookId, eventDate, userId?, workspaceMemberId?, apiKeyId?, record, updatedFields?` (`record` is the record
    /// after the change, or before it for a destruction).
    static func body(of event: RecordEvent, objectName: String, for webhook: Webhook) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        var members: [(String, String)] = [
            ("targetUrl", try json(webhook.targetUrl)),
            ("eventName", try json(event.name)),
            ("objectMetadata", "{\"id\":\(try json(event.objectMetadataId.lowercased)),\"nameSingular\":\(try json(objectName))}"),
            ("workspaceId", try json(event.workspaceId.lowercased)),
            ("webhookId", try json(webhook.id.lowercased)),
            ("eventDate", try json(event.createdAt)),
        ]
        if let user = event.userId { members.append(("userId", try json(user.lowercased))) }
        if let member = event.workspaceMemberId { members.append(("workspaceMemberId", try json(member.lowercased))) }
        if let key = event.apiKeyId { members.append(("apiKeyId", try json(key.lowercased))) }
        members.append(("record", try json(event.properties["after"] ?? event.properties["before"] ?? .object([:]))))
        if let fields = event.properties["updatedFields"] { members.append(("updatedFields", try json(fields))) }
        return "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
