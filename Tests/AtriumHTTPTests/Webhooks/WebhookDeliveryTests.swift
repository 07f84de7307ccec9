import AtriumCore
import AtriumHTTP
import AtriumTestSupport
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing

/// Webhook deliveries end to end: REST writes, the relay, the fan-out, and real POSTs (AsyncHTTPClient) to a receiver
/// on loopback that fails three times and then answers 200 — four signed attempts, one event id, and the log says so.
@Suite(.tags(.integration)) struct WebhookDeliveryTests {
    @Test func aReceiverAnswering500ThreeTimesThen200SeesFourSignedAttempts() async throws {
        let receiver = LoopbackReceiver(failuresFirst: 3)
        try await receiver.serve { port in
            try await TestTenants.with(1, name: "Webhooks") { database, tenants in
                try await withTestApplication(["WEBHOOK_ALLOWED_PRIVATE_TARGETS": "true"]) { client, _ in
                    let ws = RESTTestWorkspace(id: tenants[0].id, token: tenants[0].token, client: client)
                    let logger = RESTTestWorkspace.logger
                    let webhook = try await ws.post("/rest/webhooks", #"{"targetUrl": "http://127.0.0.1:\#(port)/hook", "operations": ["company.created"]}"#)
                    let webhookID = try #require(webhook.body["id"]?.string, "\(webhook.body)")
                    let secret = try #require(webhook.body["secret"]?.string)
                    let company = try #require(try await ws.post("/rest/companies", #"{"name": "Acme"}"#).body["data"]?["createCompany"]?["id"]?.string)
                    #expect(try await ws.patch("/rest/companies/\(company)", #"{"employees": 3}"#).status == .ok)  // not subscribed

                    // The worker's path, step by step: relay, fan-out, deliveries with quick retries.
                    let policy = OutboundTargetPolicy(allowsPrivateTargets: true)
                    let stream = CapturedEvents()
                    let outbox = EventOutbox(database: database, metadata: WorkspaceSchemaCache(database: database, store: nil, logger: logger))
                    while try await outbox.relay(to: stream, limit: 100, workspace: ws.id, logger: logger) > 0 {}
                    let fanOut = WebhookFanOut(store: WebhookStore(database: database, policy: policy))
                    for event in stream.events + stream.events { try await fanOut.handle(event, logger: logger) }
                    let sender = WebhookHTTPSender()
                    var loop = WebhookDeliveryLoop(database: database, sender: sender, policy: policy, logger: logger)
                    loop.retry.base = .milliseconds(20)
                    let deadline = ContinuousClock.now + .seconds(20)
                    while receiver.requests.withLock({ $0.count }) < 4, ContinuousClock.now < deadline {
                        try await loop.deliverDue(workspace: ws.id)
                        try await Task.sleep(for: .milliseconds(30))
                    }
                    try await loop.deliverDue(workspace: ws.id)
                    try await sender.shutdown()

                    let requests = receiver.requests.withLock { $0 }
                    #expect(requests.count == 4)
                    #expect(requests.map { $0.headers[HTTPField.Name("X-Atrium-Delivery-Attempt")!] } == ["1", "2", "3", "4"])
                    let eventIDs = Set(requests.compactMap { $0.headers[HTTPField.Name("X-Atrium-Event-Id")!] })
                    #expect(eventIDs.count == 1)
                    for request in requests {
                        #expect(request.headers[.contentType] == "application/json")
                        let timestamp = try #require(request.headers[HTTPField.Name("X-Twenty-Webhook-Timestamp")!])
                        let expected = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp):\(request.body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
                            .map { String(format: "%02x", $0) }.joined()
                        #expect(request.headers[HTTPField.Name("X-Twenty-Webhook-Signature")!] == expected)
                        #expect(request.headers[HTTPField.Name("X-Twenty-Webhook-Nonce")!]?.count == 32)
                    }
                    let body = try JSONDecoder().decode(JSONValue.self, from: Data(try #require(requests.last).body.utf8))
                    #expect(body["eventName"] == "company.created")
                    #expect(body["targetUrl"]?.string == "http://127.0.0.1:\(port)/hook")
                    #expect(body["objectMetadata"]?["nameSingular"] == "company")
                    #expect(body["webhookId"]?.string == webhookID)
                    #expect(body["record"]?["name"] == "Acme")
                    #expect(body["secret"] == nil)
                    #expect(try #require(requests.last).body.hasPrefix(#"{"targetUrl":"#))

                    let log = try await ws.get("/rest/metadata/webhooks/\(webhookID)/deliveries")
                    let deliveries = try #require(log.body["data"]?["webhookDeliveries"]?.array, "\(log.body)")
                    #expect(deliveries.count == 1)
                    #expect(deliveries.first?["status"] == "DELIVERED")
                    #expect(deliveries.first?["attempts"] == 4)
                    #expect(deliveries.first?["lastStatusCode"] == 200)
                    #expect(deliveries.first?["eventName"] == "company.created")

                    // A redelivery on request goes out again, as attempt 1.
                    let delivery = try #require(deliveries.first?["id"]?.string)
                    #expect(try await ws.post("/rest/metadata/webhooks/\(webhookID)/deliveries/\(delivery)/redeliver", "{}").body == true)
                    let again = WebhookHTTPSender()
                    let redelivery = WebhookDeliveryLoop(database: database, sender: again, policy: policy, logger: logger)
                    #expect(try await redelivery.deliverDue(workspace: ws.id) == 1)
                    try await again.shutdown()
                    #expect(receiver.requests.withLock { $0.count } == 5)
                    #expect(receiver.requests.withLock { $0.last?.headers[HTTPField.Name("X-Atrium-Delivery-Attempt")!] } == "1")
                    // Another workspace's id reads nothing.
                    #expect(try await ws.get("/rest/metadata/webhooks/\(UUID().lowercased)/deliveries").status == .notFound)
                }
            }
        }
    }
}
