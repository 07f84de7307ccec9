import AtriumCore
import Foundation
import Logging
import Synchronization

/// Admits or refuses API requests by token buckets per caller (API key) and per workspace, shared by every
/// instance through a ``TokenBucketStore`` (Redis) — without a Redis round trip per request.
///
/// Each instance takes tokens from a Redis bucket in small batches (a twentieth of the limit) and spends them
/// locally; only when its batch is used up does it ask Redis again. Across instances the limit holds to within a
/// batch per instance. With Redis down, requests are admitted at once (the Redis client's circuit fails the bucket
/// call without a round trip; the outage is logged once, and its end): a rate limiter must not take the API down with
/// it, nor slow it.
final class RateLimiter: Sendable {
    let settings: RateLimitSettings
    private let buckets: any TokenBucketStore
    private let reservations = Mutex<[String: Reservation]>([:])
    /// Whether the last bucket call failed, so an outage is logged once rather than once per request.
    private let failingOpen = FailOpenState(checks: "rate limit checks")

    private struct Reservation {
        var tokens: Int
        /// The bucket's level when the batch was taken, for `X-RateLimit-Remaining`.
        var remaining: Int
    }

    /// The outcome of one request's check, with what its response headers say.
    struct Decision: Sendable {
        var admitted: Bool
        var limit: Int
        var remaining: Int
        /// Seconds until a token is available (for `Retry-After` and `X-RateLimit-Reset`).
        var resetSeconds: Int
    }

    /// - Parameters:
    ///   - settings: The limits (`API_RATE_LIMITING_*`).
    ///   - buckets: The buckets shared by every instance.
    init(settings: RateLimitSettings, buckets: any TokenBucketStore) {
        self.settings = settings
        self.buckets = buckets
    }

    var isEnabled: Bool { settings.perCaller > 0 || settings.perWorkspace > 0 }

    /// Checks one request by `caller` (an API key or user id) in `workspace`; nil when limits are off.
    func check(workspace: UUID, caller: String, logger: Logger) async -> Decision? {
        var decisions: [Decision] = []
        let tag = "{ws:\(workspace.lowercased)}"
        if settings.perCaller > 0 {
            decisions.append(await take("atrium:\(tag):ratelimit:caller:\(caller)", capacity: settings.perCaller, logger: logger))
        }
        if settings.perWorkspace > 0 {
            decisions.append(await take("atrium:\(tag):ratelimit:workspace", capacity: settings.perWorkspace, logger: logger))
        }
        // Report the tighter bucket; refuse when either is empty.
        guard var decision = decisions.min(by: { $0.remaining < $1.remaining }) else { return nil }
        if let refused = decisions.first(where: { !$0.admitted }) { decision = refused }
        return decision
    }

    private func take(_ key: String, capacity: Int, logger: Logger) async -> Decision {
        if let local = reservations.withLock({ reservations -> Reservation? in
            guard var reservation = reservations[key], reservation.tokens > 0 else { return nil }
            reservation.tokens -= 1
            reservations[key] = reservation
            return reservation
        }) {
            return Decision(admitted: true, limit: capacity, remaining: local.remaining + local.tokens, resetSeconds: 0)
        }
        let batch = max(1, capacity / 20)
        do {
            let grant = try await buckets.take(batch, from: key, capacity: capacity, window: settings.window)
            let reset = Int((Double(grant.retryAfterMilliseconds) / 1000).rounded(.up))
            guard grant.granted > 0 else {
                return Decision(admitted: false, limit: capacity, remaining: 0, resetSeconds: max(1, reset))
            }
            reservations.withLock { reservations in
                let spare = grant.granted - 1 + (reservations[key]?.tokens ?? 0)
                reservations[key] = Reservation(tokens: spare, remaining: grant.remaining)
            }
            failingOpen.answered(logger: logger)
            return Decision(admitted: true, limit: capacity, remaining: grant.remaining + grant.granted - 1, resetSeconds: reset)
        } catch {
            failingOpen.failed(error, logger: logger)
            return Decision(admitted: true, limit: capacity, remaining: capacity, resetSeconds: 0)
        }
    }
}
