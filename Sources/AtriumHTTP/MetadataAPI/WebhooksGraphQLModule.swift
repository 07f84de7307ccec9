import AtriumCore
import Foundation
import GraphQL
import Logging
import NIOCore
import OrderedCollections

/// Webhooks on `/metadata`, with Twenty's names (its `webhook.resolver.ts`): queries `webhooks` (oldest first) and
/// `webhook(id)`; mutations `createWebhook(input: {id?, targetUrl, operations, description?, secret?})`,
/// `updateWebhook(input: {id, update: {targetUrl?, operations?, description?, secret?}})` and `deleteWebhook(id)`.
/// Beyond Twenty, the delivery log: `webhookDeliveries(webhookId, limit?)` and
/// `redeliverWebhookDelivery(webhookId, deliveryId)`. Every one needs the API_KEYS_AND_WEBHOOKS settings flag.
struct WebhooksGraphQLModule: MetadataGraphQLModule {
    let store: WebhookStore
    let log: WebhookDeliveryLog

    func rootFields(_ shared: MetadataGraphQLShared) throws -> (queries: GraphQLFieldMap, mutations: GraphQLFieldMap) {
        func required(_ type: any GraphQLOutputType) throws -> GraphQLField { GraphQLField(type: try GraphQLNonNull(type)) }
        let strings = try GraphQLList(try GraphQLNonNull(GraphQLString))
        let webhook = try GraphQLObjectType(name: "Webhook", fields: [
            "id": required(shared.uuid), "targetUrl": required(GraphQLString), "operations": required(strings),
            "description": GraphQLField(type: GraphQLString), "secret": required(GraphQLString), "applicationId": GraphQLField(type: shared.uuid),
            "createdAt": required(shared.dateTime), "updatedAt": required(shared.dateTime), "deletedAt": GraphQLField(type: shared.dateTime),
        ])
        let delivery = try GraphQLObjectType(name: "WebhookDelivery", fields: [
            "id": required(shared.uuid), "webhookId": required(shared.uuid), "eventId": required(shared.uuid),
            "eventName": required(GraphQLString), "status": required(GraphQLString), "attempts": required(GraphQLInt),
            "lastStatusCode": GraphQLField(type: GraphQLInt), "lastError": GraphQLField(type: GraphQLString),
            "lastDurationMs": GraphQLField(type: GraphQLInt), "nextAttemptAt": GraphQLField(type: shared.dateTime),
            "deliveredAt": GraphQLField(type: shared.dateTime), "createdAt": required(shared.dateTime),
        ])
        let create = try GraphQLInputObjectType(name: "CreateWebhookInput", fields: [
            "id": InputObjectField(type: shared.uuid), "targetUrl": InputObjectField(type: try GraphQLNonNull(GraphQLString)),
            "operations": InputObjectField(type: try GraphQLNonNull(strings)), "description": InputObjectField(type: GraphQLString),
            "secret": InputObjectField(type: GraphQLString),
        ])
        let updates = try GraphQLInputObjectType(name: "UpdateWebhookInputUpdates", fields: [
            "targetUrl": InputObjectField(type: GraphQLString), "operations": InputObjectField(type: strings),
            "description": InputObjectField(type: GraphQLString), "secret": InputObjectField(type: GraphQLString),
        ])
        let update = try GraphQLInputObjectType(name: "UpdateWebhookInput", fields: [
            "id": InputObjectField(type: try GraphQLNonNull(shared.uuid)), "update": InputObjectField(type: try GraphQLNonNull(updates)),
        ])
        let id = GraphQLArgument(type: try GraphQLNonNull(shared.uuid))
        let (store, log) = (store, log)
        let queries: GraphQLFieldMap = [
            "webhooks": GraphQLField(type: try GraphQLNonNull(GraphQLList(try GraphQLNonNull(webhook)))) { _, _, context, _ in
                let (context, workspace) = try await Self.authorized(context)
                return try await store.list(workspace: workspace, logger: context.logger).map(Self.webhook)
            },
            "webhook": GraphQLField(type: webhook, args: ["id": id]) { _, args, context, _ in
                let (context, workspace) = try await Self.authorized(context)
                do {
                    return Self.webhook(try await store.webhook(id: try RolesGraphQLModule.uuid(args["id"]), workspace: workspace, logger: context.logger))
                } catch let error as AtriumError where error.code == .notFound {
                    return nil as [String: any Sendable]?
                }
            },
            "webhookDeliveries": GraphQLField(type: try GraphQLNonNull(GraphQLList(try GraphQLNonNull(delivery))),
                                              args: ["webhookId": id, "limit": GraphQLArgument(type: GraphQLInt)]) { _, args, context, _ in
                let (context, workspace) = try await Self.authorized(context)
                let text = try await log.deliveries(webhook: try RolesGraphQLModule.uuid(args["webhookId"]), workspace: workspace,
                                                    limit: args["limit"].int ?? 100, logger: context.logger)
                let json = try JSONDecoder().decode(JSONValue.self, from: Data(text.readableBytesView))
                return (json["data"]?["webhookDeliveries"]?.array ?? []).map(Self.fields)
            },
        ]
        let mutations: GraphQLFieldMap = [
            "createWebhook": GraphQLField(type: try GraphQLNonNull(webhook), args: ["input": GraphQLArgument(type: try GraphQLNonNull(create))]) { _, args, context, _ in
                let (context, workspace) = try await Self.authorized(context)
                let input = args["input"]
                let created = try await store.create(
                    id: input["id"].string == nil ? nil : try RolesGraphQLModule.uuid(input["id"]), targetUrl: input["targetUrl"].string ?? "",
                    operations: input["operations"].array?.compactMap(\.string), description: input["description"].string,
                    secret: input["secret"].string, workspace: workspace, logger: context.logger
                )
                return Self.webhook(created)
            },
            "updateWebhook": GraphQLField(type: webhook, args: ["input": GraphQLArgument(type: try GraphQLNonNull(update))]) { _, args, context, _ in
                let (context, workspace) = try await Self.authorized(context)
                let changes = args["input"]["update"]
                let description: String?? = switch changes["description"] {
                case .undefined: nil
                case .null: .some(nil)
                default: .some(changes["description"].string)
                }
                let updated = try await store.update(
                    id: try RolesGraphQLModule.uuid(args["input"]["id"]),
                    WebhookStore.Changes(targetUrl: changes["targetUrl"].string, operations: changes["operations"].array?.compactMap(\.string),
                                         description: description, secret: changes["secret"].string),
                    workspace: workspace, logger: context.logger
                )
                return Self.webhook(updated)
            },
            "deleteWebhook": GraphQLField(type: webhook, args: ["id": id]) { _, args, context, _ in
                let (context, workspace) = try await Self.authorized(context)
                return Self.webhook(try await store.delete(id: try RolesGraphQLModule.uuid(args["id"]), workspace: workspace, logger: context.logger))
            },
            "redeliverWebhookDelivery": GraphQLField(type: try GraphQLNonNull(GraphQLBoolean), args: ["webhookId": id, "deliveryId": id]) { _, args, context, _ in
                let (context, workspace) = try await Self.authorized(context)
                guard try await log.redeliver(try RolesGraphQLModule.uuid(args["deliveryId"]), webhook: try RolesGraphQLModule.uuid(args["webhookId"]),
                                              workspace: workspace, logger: context.logger)
                else { throw AtriumError(.notFound, "Webhook delivery not found") }
                return true
            },
        ]
        return (queries, mutations)
    }

    private static func authorized(_ context: any Sendable) async throws -> (MetadataGraphQLContext, UUID) {
        let context = try MetadataGraphQLContext.of(context)
        try await context.require(.apiKeysAndWebhooks)
        return (context, try context.workspace)
    }

    static func webhook(_ webhook: Webhook) -> [String: any Sendable] {
        fields(WebhooksRESTController.json(webhook))
    }

    /// A JSON object as resolver fields (nulls left out: GraphQL answers null for a missing key).
    static func fields(_ json: JSONValue) -> [String: any Sendable] {
        guard case .object(let members) = json else { return [:] }
        var fields: [String: any Sendable] = [:]
        for (key, value) in members {
            switch value {
            case .string(let text): fields[key] = text
            case .number(let number): fields[key] = number.rounded() == number ? Int(number) as any Sendable : number
            case .bool(let flag): fields[key] = flag
            case .array(let items): fields[key] = items.compactMap(\.string)
            case .null, .object: continue
            }
        }
        return fields
    }
}
