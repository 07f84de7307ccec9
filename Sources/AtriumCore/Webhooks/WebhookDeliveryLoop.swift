import Crypto
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle

/// Sends an HTTP POST for a webhook delivery (AsyncHTTPClient in `atrium worker`; a fake in tests).
public protocol WebhookSender: Sendable {
    /// POSTs `body` to `url` with `headers`, following no redirect, within `timeout`; returns the status code.
    /// - Throws: On a network error or a timeout.
    func post(_ url: String, headers: [(String, String)], body: String, timeout: Duration) async throws -> Int
}

/// When a failed delivery is tried again: `base × factor^(attempt − 1)`, at most `cap`, ±20% jitter; after
/// `maximumAttempts` attempts the delivery is FAILED. The defaults spread 10 attempts over about 17 hours.
public struct WebhookRetryPolicy: Sendable {
    public var maximumAttempts = 10
    public var base: Duration = .seconds(60)
    public var factor = 2.2
    public var cap: Duration = .seconds(6 * 3600)

    public init() {}

    /// The pause before attempt `attempt + 1`, after attempt `attempt` (1-based) failed.
    public func delay(after attempt: Int) -> Duration {
        let seconds = min(Self.seconds(base) * pow(factor, Double(max(0, attempt - 1))), Self.seconds(cap))
        return .milliseconds(Int64(seconds * Double.random(in: 0.8...1.2) * 1000))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Sends due webhook deliveries until graceful shutdown (`atrium worker`), and records each attempt in the log.
///
/// - A delivery is due at its `nextAttemptAt`. Deliveries of one webhook go in the order of their events: one waits
///   while an earlier one of the same webhook has not had its first attempt (a pending retry does not hold it up).
/// - A claimed delivery is leased for a minute (`nextAttemptAt` moves on), so several workers share the work and a
///   worker that dies mid-send leaves it to be tried again.
/// - Each POST carries Twenty's headers — `X-Twenty-Webhook-Timestamp` (milliseconds), `X-Twenty-Webhook-Signature`
///   (lowercase hex HMAC-SHA256 of `"<timestamp>:" + body` under the webhook's secret), `X-Twenty-Webhook-Nonce` —
///   and Atrium's `X-Atrium-Event-Id` and `X-Atrium-Delivery-Attempt`; a 2xx answer delivers it, anything else (an
///   error, a timeout of ``timeout``, a refused target) schedules a retry per ``retry``.
/// - The target is checked again before each attempt (``OutboundTargetPolicy``): DNS can change.
public struct WebhookDeliveryLoop: Service {
    let database: Database
    let sender: any WebhookSender
    let policy: OutboundTargetPolicy
    let logger: Logger
    public var retry = WebhookRetryPolicy()
    public var batchSize = 32
    public var idleInterval: Duration = .milliseconds(200)
    public var timeout: Duration = .seconds(5)

    public init(database: Database, sender: any WebhookSender, policy: OutboundTargetPolicy, logger: Logger) {
        self.database = database
        self.sender = sender
        self.policy = policy
        self.logger = logger
    }

    public func run() async throws {
        var backoff = Backoff()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let sent = try await deliverDue()
                backoff = Backoff()
                if sent == 0 { await pauseUnlessShuttingDown(idleInterval) }
            } catch {
                logger.warning("cannot deliver webhooks; retrying", metadata: ["error": "\(error)"])
                await backoff.pause()
            }
        }
    }

    /// A claimed delivery.
    struct Claim: Sendable {
        let id: UUID
        let eventID: UUID
        let body: String
        let attempts: Int
        let targetUrl: String
        let secret: String
    }

    /// Claims the due deliveries, sends them concurrently and records the outcomes; returns how many were sent.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let rows = try await database.query("""
            WITH due AS (
                SELECT DISTINCT ON (d."webhookId") d."id" FROM core."webhookDelivery" d
                WHERE d."status" = 'PENDING' AND d."nextAttemptAt" <= now() AND NOT EXISTS (
                    SELECT 1 FROM core."webhookDelivery" e WHERE e."webhookId" = d."webhookId" AND e."status" = 'PENDING'
                    AND e."attempts" = 0 AND e."eventId" < d."eventId")
                ORDER BY d."webhookId", d."eventId" LIMIT \(batchSize))
            UPDATE core."webhookDelivery" d SET "nextAttemptAt" = now() + interval '60 seconds', "updatedAt" = now()
            FROM due, core."webhook" w
            WHERE d."id" = due."id" AND w."id" = d."webhookId" AND w."deletedAt" IS NULL AND d."status" = 'PENDING'
                AND d."nextAttemptAt" <= now()
            RETURNING d."id", d."eventId", d."body", d."attempts", w."targetUrl", w."secret"
            """, logger: logger)
        var claims: [Claim] = []
        for try await (id, eventID, body, attempts, url, secret) in rows.decode((UUID, UUID, String, Int, String, String).self) {
            claims.append(Claim(id: id, eventID: eventID, body: body, attempts: attempts, targetUrl: url, secret: secret))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for claim in claims { group.addTask { try await deliver(claim) } }
            try await group.waitForAll()
        }
        return claims.count
    }

    private func deliver(_ claim: Claim) async throws {
        let attempt = claim.attempts + 1
        let timestamp = String(Int64(Date().timeIntervalSince1970 * 1000))
        let signature = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp):\(claim.body)".utf8), using: SymmetricKey(data: Data(claim.secret.utf8)))
        let nonce = RandomHex.bytes(16)
        let headers = [
            ("Content-Type", "application/json"), ("X-Twenty-Webhook-Timestamp", timestamp),
            ("X-Twenty-Webhook-Signature", RandomHex.hex(signature)), ("X-Twenty-Webhook-Nonce", nonce),
            ("X-Atrium-Event-Id", claim.eventID.lowercased), ("X-Atrium-Delivery-Attempt", String(attempt)),
        ]
        let started = ContinuousClock.now
        var status: Int?
        var failure: String?
        do {
            try policy.check(claim.targetUrl)
            status = try await sender.post(claim.targetUrl, headers: headers, body: claim.body, timeout: timeout)
        } catch let error as AtriumError {
            failure = error.message
        } catch {
            failure = String(describing: error)
        }
        let milliseconds = Int(WebhookRetryPolicy.seconds(ContinuousClock.now - started) * 1000)
        if let status, (200..<300).contains(status) {
            try await database.query("""
                UPDATE core."webhookDelivery" SET "status" = 'DELIVERED', "attempts" = \(attempt), "lastStatusCode" = \(status),
                    "lastError" = NULL, "lastDurationMs" = \(milliseconds), "deliveredAt" = now(), "updatedAt" = now()
                WHERE "id" = \(claim.id)
                """, logger: logger)
            return
        }
        let error = failure ?? "HTTP \(status ?? 0)"
        let gaveUp = attempt >= retry.maximumAttempts
        let delay = retry.delay(after: attempt)
        let delaySeconds = WebhookRetryPolicy.seconds(delay)
        try await database.query("""
            UPDATE core."webhookDelivery" SET "attempts" = \(attempt), "lastStatusCode" = \(status), "lastError" = \(error),
                "lastDurationMs" = \(milliseconds), "status" = \(gaveUp ? "FAILED" : "PENDING"),
                "nextAttemptAt" = now() + make_interval(secs => \(delaySeconds)), "updatedAt" = now()
            WHERE "id" = \(claim.id)
            """, logger: logger)
        if gaveUp {
            logger.warning("a webhook delivery failed for good", metadata: ["delivery": "\(claim.id)", "attempts": "\(attempt)", "error": "\(error)"])
        }
    }
}
