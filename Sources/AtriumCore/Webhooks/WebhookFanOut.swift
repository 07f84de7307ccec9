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
        try await handle(batch: [event], logger: logger)
    }

    /// Every delivery of `events`, written in one statement (each workspace's webhooks read once).
    public func handle(batch events: [RecordEvent], logger: Logger) async throws {
        var webhooks: [UUID: [Webhook]] = [:]
        var deliveries: (workspaces: [UUID], webhooks: [UUID], events: [UUID], names: [String], bodies: [String]) = ([], [], [], [], [])
        for event in events {
            if webhooks[event.workspaceId] == nil { webhooks[event.workspaceId] = try await store.list(workspace: event.workspaceId, logger: logger) }
            let objectName = String(event.objectName)
            let properties = (try? RawJSON.members(of: Substring(event.propertiesJSON))) ?? [:]
            for webhook in webhooks[event.workspaceId] ?? [] where webhook.matches(event.name) {
                deliveries.workspaces.append(event.workspaceId)
                deliveries.webhooks.append(webhook.id)
                deliveries.events.append(event.id)
                deliveries.names.append(event.name)
                deliveries.bodies.append(Self.body(of: event, objectName: objectName, properties: properties, for: webhook))
            }
        }
        guard !deliveries.webhooks.isEmpty else { return }
        try await store.database.query("""
            INSERT INTO core."webhookDelivery" ("workspaceId", "webhookId", "eventId", "eventName", "body")
            SELECT * FROM unnest(\(deliveries.workspaces), \(deliveries.webhooks), \(deliveries.events), \(deliveries.names), \(deliveries.bodies))
            ON CONFLICT ("webhookId", "eventId") DO NOTHING
            """, logger: logger)
    }

    /// Twenty's webhook body, keys in its order: `targetUrl, eventName, objectMetadata {id, nameSingular}, workspaceId,
    /// webhookId, eventDate, userId?, workspaceMemberId?, apiKeyId?, record, updatedFields?` (`record` is the record
    /// after the change, or before it for a destruction, as the event carries it).
    /// - Parameter properties: The event's properties' members (``RawJSON/members(of:)-(Substring)``).
    static func body(of event: RecordEvent, objectName: String, properties: [String: Substring], for webhook: Webhook) -> String {
        let quoted = RawJSON.quoted
        var body = "{\"targetUrl\":\(quoted(webhook.targetUrl)),\"eventName\":\(quoted(event.name))"
        body += ",\"objectMetadata\":{\"id\":\(quoted(event.objectMetadataId.lowercased)),\"nameSingular\":\(quoted(objectName))}"
        body += ",\"workspaceId\":\(quoted(event.workspaceId.lowercased)),\"webhookId\":\(quoted(webhook.id.lowercased))"
        body += ",\"eventDate\":\(quoted(event.createdAt))"
        if let user = event.userId { body += ",\"userId\":\(quoted(user.lowercased))" }
        if let member = event.workspaceMemberId { body += ",\"workspaceMemberId\":\(quoted(member.lowercased))" }
        if let key = event.apiKeyId { body += ",\"apiKeyId\":\(quoted(key.lowercased))" }
        body += ",\"record\":" + (properties["after"] ?? properties["before"] ?? "{}")
        if let fields = properties["updatedFields"] { body += ",\"updatedFields\":" + fields }
        return body + "}"
    }
}
