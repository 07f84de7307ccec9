import AtriumCore
import Crypto
import Foundation
import Logging

/// Throttles sign-in and sign-up attempts per email and per client address, with token buckets in Redis shared by
/// every instance (`LOGIN_ATTEMPTS_PER_EMAIL`, `LOGIN_ATTEMPTS_PER_IP`, `LOGIN_ATTEMPTS_TTL_IN_MS`).
///
/// Every attempt spends a token, successful or not, so guessing a password costs the same as using it. The Redis key
/// of an email is its SHA-256, so the keyspace holds no address. With Redis down the attempt is admitted, and the
/// outage logged when it starts and ends, as for the API rate limits.
struct LoginThrottle: Sendable {
    /// The limits (`LOGIN_ATTEMPTS_*`).
    let settings: LoginThrottleSettings
    /// The buckets shared by every instance.
    let buckets: any TokenBucketStore
    private let failingOpen = FailOpenState(checks: "login throttle checks")

    init(settings: LoginThrottleSettings, buckets: any TokenBucketStore) {
        self.settings = settings
        self.buckets = buckets
    }

    /// Spends one attempt of `email` and of `address` (when known).
    /// - Throws: ``AtriumError`` `rate_limited` "Too many login attempts…" when either bucket is empty.
    func admit(email: String, address: String?, logger: Logger) async throws {
        var buckets: [(key: String, limit: Int)] = []
        if settings.perEmail > 0 {
            let digest = SHA256.hash(data: Data(email.trimmingCharacters(in: .whitespaces).lowercased().utf8))
            buckets.append(("atrium:login:email:" + digest.map { String(format: "%02x", $0) }.joined(), settings.perEmail))
        }
        if settings.perIP > 0, let address { buckets.append(("atrium:login:ip:" + address, settings.perIP)) }
        for (key, limit) in buckets {
            let grant: TokenBucketGrant
            do {
                grant = try await self.buckets.take(1, from: key, capacity: limit, window: settings.window)
                failingOpen.answered(logger: logger)
            } catch {
                failingOpen.failed(error, logger: logger)
                continue
            }
            if grant.granted == 0 {
                let seconds = max(1, Int((Double(grant.retryAfterMilliseconds) / 1000).rounded(.up)))
                throw AtriumError(.rateLimited, "Too many login attempts, please try again in \(seconds) seconds")
            }
        }
    }
}
