import Logging

/// The cache shared by every Atrium process (Redis in production), as the metadata and permission caches need it, and
/// the pub/sub channels on which changes are announced to every process (servers and the CLI alike).
///
/// AtriumCore states what it needs; `AtriumRedisAdapters` implements it over `RedisClient` (`RedisMetadataStore`), so
/// the domain does not depend on the Redis client. Every method may throw when the store is unreachable: callers then fall back to PostgreSQL.
public protocol MetadataSharedStore: Sendable {
    /// The value of `key`, or `nil` if it does not exist.
    func get(_ key: String) async throws -> [UInt8]?

    /// Sets `key` to `value`, expiring after `expiration` if given.
    func set(_ key: String, to value: [UInt8], expiration: Duration?) async throws

    /// Sets the integer `key` to `value` unless it already holds a value at least as large (atomically), so that
    /// concurrent writers never move a version backwards.
    func raise(_ key: String, to value: Int, expiration: Duration?) async throws

    /// Publishes `message` on `channel`.
    func publish(_ message: String, to channel: String) async throws

    /// Subscribes to `channel` and calls `onMessage` for each message until the calling task is cancelled or the
    /// store shuts down. Survives reconnects where the store can (messages sent meanwhile may be lost).
    /// - Throws: If the subscription cannot be made.
    func subscribe(to channel: String, onMessage: @escaping @Sendable (String) async -> Void) async throws
}

extension MetadataSharedStore {
    /// Subscribes to `channel` until the calling task is cancelled, subscribing again `retryAfter` after the
    /// subscription fails or ends (what is published meanwhile is missed: callers bound that some other way).
    public func subscribeUntilCancelled(
        to channel: String, retryAfter: Duration, logger: Logger, onMessage: @escaping @Sendable (String) async -> Void
    ) async {
        while !Task.isCancelled {
            do {
                try await subscribe(to: channel, onMessage: onMessage)
            } catch {
                logger.debug("Subscription failed", metadata: ["channel": "\(channel)", "error": "\(error)"])
            }
            try? await Task.sleep(for: retryAfter)
        }
    }
}
