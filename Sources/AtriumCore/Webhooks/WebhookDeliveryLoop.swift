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
/// - **Lanes.** Each round claims, per webhook that has no lane running, its due deliveries in event order — the
///   oldest never-tried ones up to ``laneSize``, stopping at one leased by another worker, plus its due retries — and
///   sends them one after another in a lane of its own. Lanes of different webhooks run side by side, so a slow
///   receiver holds up only its own webhook. A webhook's deliveries thus arrive in the order of their events unless a
///   retry is pending.
/// - **Leases.** A claimed delivery is leased for ``lease`` (`nextAttemptAt` moves on), so several workers share the
///   work and a worker that dies mid-send leaves it to be tried again. A lane stops at its first failure, after
///   ``laneTime`` or on graceful shutdown, and hands back what it has not sent.
/// - **Requests.** Each POST carries Twenty's headers — `X-Twenty-Webhook-Timestamp` (milliseconds),
///   `X-Twenty-Webhook-Signature` (lowercase hex HMAC-SHA256 of `"<timestamp>:" + body` under the webhook's secret),
///   `X-Twenty-Webhook-Nonce` — and Atrium's `X-Atrium-Event-Id` and `X-Atrium-Delivery-Attempt`; a 2xx answer delivers
///   it, anything else (an error, a timeout of ``timeout``, a refused target) schedules a retry per ``retry``. The
///   target is checked again before each attempt (``OutboundTargetPolicy``): DNS can change.
/// - A lane records its outcomes in one statement when it ends.
public struct WebhookDeliveryLoop: Service {
    let database: Database
    let sender: any WebhookSender
    let policy: OutboundTargetPolicy
    let logger: Logger
    public var retry = WebhookRetryPolicy()
    /// The most deliveries of one webhook a lane takes.
    public var laneSize = 50
    /// How long a lane sends before it hands back the rest (well within ``lease``).
    public var laneTime: Duration = .seconds(30)
    public var lease: Duration = .seconds(60)
    /// How often to look for due deliveries when there were none, or while lanes run.
    public var idleInterval: Duration = .milliseconds(50)
    public var timeout: Duration = .seconds(5)

    public init(database: Database, sender: any WebhookSender, policy: OutboundTargetPolicy, logger: Logger) {
        self.database = database
        self.sender = sender
        self.policy = policy
        self.logger = logger
    }

    public func run() async throws {
        var backoff = Backoff()
        await withTaskGroup(of: UUID?.self) { lanes in
            var running = Set<UUID>()
            var ticking = false
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                do {
                    for (webhook, claims) in try await claim(excluding: running, workspace: nil) {
                        running.insert(webhook)
                        lanes.addTask { await self.send(claims); return webhook }
                    }
                    backoff = Backoff()
                } catch {
                    logger.warning("cannot claim webhook deliveries; retrying", metadata: ["error": "\(error)"])
                    await backoff.pause()
                    continue
                }
                // Wait for a lane to end, or for the next look at due deliveries (a tick: nil).
                if !ticking {
                    ticking = true
                    lanes.addTask { await pauseUnlessShuttingDown(self.idleInterval); return nil }
                }
                switch await lanes.next() {
                case .some(.some(let webhook)): running.remove(webhook)
                case .some(.none): ticking = false
                case .none: break
                }
            }
            // Graceful shutdown: lanes hand back what they have not sent; wait for them.
            while await lanes.next() != nil {}
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

    /// What became of a claimed delivery.
    enum Outcome: String {
        case delivered = "DELIVERED"
        case retry = "PENDING"
        case failed = "FAILED"
        /// Not sent: handed back, due at once.
        case handedBack = "HANDED_BACK"
    }

    /// Claims the due deliveries of every webhook (of `workspace` only, when given: tests share one database), sends
    /// them, waits for every lane and records the outcomes; returns how many were sent.
    @discardableResult
    public func deliverDue(workspace: UUID? = nil) async throws -> Int {
        let lanes = try await claim(excluding: [], workspace: workspace)
        return await withTaskGroup(of: Int.self) { group in
            for claims in lanes.values { group.addTask { await self.send(claims) } }
            return await group.reduce(0, +)
        }
    }

    /// Leases the due deliveries of the webhooks not in `busy`, each webhook's in event order.
    func claim(excluding busy: Set<UUID>, workspace: UUID?) async throws -> [UUID: [Claim]] {
        let rows = try await database.query("""
            WITH live AS (
                SELECT w."id" FROM core."webhook" w WHERE w."deletedAt" IS NULL AND NOT (w."id" = ANY(\(Array(busy))))
                    AND (\(workspace?.lowercased)::uuid IS NULL OR w."workspaceId" = \(workspace?.lowercased)::uuid)
            ), firsts AS (
                SELECT f."id" FROM live CROSS JOIN LATERAL (
                    SELECT o."id", bool_and(o."nextAttemptAt" <= now()) OVER (ORDER BY o."eventId") AS "due" FROM (
                        SELECT d."id", d."eventId", d."nextAttemptAt" FROM core."webhookDelivery" d
                        WHERE d."webhookId" = live."id" AND d."status" = 'PENDING' AND d."attempts" = 0
                        ORDER BY d."eventId" LIMIT \(laneSize)) o) f
                WHERE f."due"
            ), retries AS (
                SELECT r."id" FROM live CROSS JOIN LATERAL (
                    SELECT d."id" FROM core."webhookDelivery" d
                    WHERE d."webhookId" = live."id" AND d."status" = 'PENDING' AND d."attempts" > 0 AND d."nextAttemptAt" <= now()
                    ORDER BY d."eventId" LIMIT \(laneSize)) r
            ), due AS (SELECT "id" FROM firsts UNION SELECT "id" FROM retries)
            UPDATE core."webhookDelivery" d SET "nextAttemptAt" = now() + make_interval(secs => \(WebhookRetryPolicy.seconds(lease))),
                "updatedAt" = now()
            FROM due, core."webhook" w
            WHERE d."id" = due."id" AND w."id" = d."webhookId" AND d."status" = 'PENDING' AND d."nextAttemptAt" <= now()
            RETURNING d."id", d."webhookId", d."eventId", d."body", d."attempts", w."targetUrl", w."secret"
            """, logger: logger)
        var lanes: [UUID: [Claim]] = [:]
        for try await (id, webhook, eventID, body, attempts, url, secret) in rows.decode((UUID, UUID, UUID, String, Int, String, String).self) {
            lanes[webhook, default: []].append(Claim(id: id, eventID: eventID, body: body, attempts: attempts, targetUrl: url, secret: secret))
        }
        for webhook in lanes.keys { lanes[webhook]?.sort { $0.eventID < $1.eventID } }
        return lanes
    }

    /// Sends one webhook's claims in order until one fails, ``laneTime`` passes or shutdown begins, then records every
    /// outcome (the unsent ones handed back); returns how many were sent.
    func send(_ claims: [Claim]) async -> Int {
        let started = ContinuousClock.now
        var outcomes: [(claim: Claim, outcome: Outcome, status: Int?, error: String?, milliseconds: Int)] = []
        var stopped = false
        for claim in claims {
            if stopped || Task.isShuttingDownGracefully || ContinuousClock.now - started > laneTime {
                outcomes.append((claim, .handedBack, nil, nil, 0))
                continue
            }
            let attempt = try? await post(claim)
            let (status, error, milliseconds) = attempt ?? (nil, "cancelled", 0)
            if let status, (200..<300).contains(status) {
                outcomes.append((claim, .delivered, status, nil, milliseconds))
            } else {
                outcomes.append((claim, claim.attempts + 1 >= retry.maximumAttempts ? .failed : .retry, status,
                                 error ?? "HTTP \(status ?? 0)", milliseconds))
                stopped = true
            }
        }
        do {
            try await record(outcomes)
        } catch {
            logger.warning("cannot record webhook deliveries; they will be sent again when their lease ends", metadata: ["error": "\(error)"])
        }
        return outcomes.count { $0.outcome != .handedBack }
    }

    /// POSTs one claim; the status code (nil on an error), the error, and the milliseconds it took.
    private func post(_ claim: Claim) async throws -> (Int?, String?, Int) {
        let timestamp = String(Int64(Date().timeIntervalSince1970 * 1000))
        let signature = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp):\(claim.body)".utf8), using: SymmetricKey(data: Data(claim.secret.utf8)))
        let headers = [
            ("Content-Type", "application/json"), ("X-Twenty-Webhook-Timestamp", timestamp),
            ("X-Twenty-Webhook-Signature", RandomHex.hex(signature)), ("X-Twenty-Webhook-Nonce", RandomHex.bytes(16)),
            ("X-Atrium-Event-Id", claim.eventID.lowercased), ("X-Atrium-Delivery-Attempt", String(claim.attempts + 1)),
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
        return (status, failure, Int(WebhookRetryPolicy.seconds(ContinuousClock.now - started) * 1000))
    }

    /// Records a lane's outcomes in one statement: delivered, a retry after ``retry``'s delay, failed for good, or
    /// handed back (due at once, attempts unchanged).
    private func record(_ outcomes: [(claim: Claim, outcome: Outcome, status: Int?, error: String?, milliseconds: Int)]) async throws {
        guard !outcomes.isEmpty else { return }
        let delays = outcomes.map { $0.outcome == .retry ? WebhookRetryPolicy.seconds(retry.delay(after: $0.claim.attempts + 1)) : 0 }
        try await database.query("""
            UPDATE core."webhookDelivery" d SET
                "status" = CASE o."outcome" WHEN 'HANDED_BACK' THEN 'PENDING' ELSE o."outcome" END,
                "attempts" = CASE o."outcome" WHEN 'HANDED_BACK' THEN d."attempts" ELSE d."attempts" + 1 END,
                "lastStatusCode" = CASE o."outcome" WHEN 'HANDED_BACK' THEN d."lastStatusCode" ELSE NULLIF(o."status", -1) END,
                "lastError" = CASE o."outcome" WHEN 'HANDED_BACK' THEN d."lastError" ELSE NULLIF(o."error", '') END,
                "lastDurationMs" = CASE o."outcome" WHEN 'HANDED_BACK' THEN d."lastDurationMs" ELSE o."milliseconds" END,
                "deliveredAt" = CASE o."outcome" WHEN 'DELIVERED' THEN now() ELSE d."deliveredAt" END,
                "nextAttemptAt" = now() + make_interval(secs => o."delay"), "updatedAt" = now()
            FROM unnest(\(outcomes.map(\.claim.id)), \(outcomes.map(\.outcome.rawValue)), \(outcomes.map { $0.status ?? -1 }),
                \(outcomes.map { $0.error ?? "" }), \(outcomes.map(\.milliseconds)), \(delays))
                AS o("id", "outcome", "status", "error", "milliseconds", "delay")
            WHERE d."id" = o."id"
            """, logger: logger)
        for failed in outcomes where failed.outcome == .failed {
            logger.warning("a webhook delivery failed for good", metadata: [
                "delivery": "\(failed.claim.id)", "attempts": "\(failed.claim.attempts + 1)", "error": "\(failed.error ?? "")",
            ])
        }
    }
}
