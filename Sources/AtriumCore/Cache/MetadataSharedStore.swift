import Logging
import Synchronization

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

    /// Subscribes to `channel`, calls `onSubscribed` once the subscription is in place, then `onMessage` for each
    /// message until the calling task is cancelled or the store shuts down. Survives reconnects where the store can
    /// (messages sent meanwhile may be lost: see ``subscriptionStretch``).
    /// - Throws: If the subscription cannot be made.
    func subscribe(to channel: String, onSubscribed: @escaping @Sendable () -> Void, onMessage: @escaping @Sendable (String) async -> Void)
        async throws

    /// The number of the current unbroken stretch during which every message published to this process's
    /// subscriptions reaches it, or nil while some may be missed (the store's connection was lost and the
    /// subscriptions are not restored yet). A different number than the last one read means messages may have been
    /// missed in between. A store that cannot tell answers nil.
    var subscriptionStretch: UInt64? { get }
}

extension MetadataSharedStore {
    /// Subscribes to `channel` until the calling task is cancelled, subscribing again `retryAfter` after the
    /// subscription fails or ends (what is published meanwhile is missed: `reception`, when given, tells its readers).
    public func subscribeUntilCancelled(
        to channel: String, retryAfter: Duration, logger: Logger, reception: AnnouncementReception? = nil,
        onMessage: @escaping @Sendable (String) async -> Void
    ) async {
        while !Task.isCancelled {
            do {
                try await subscribe(to: channel, onSubscribed: { reception?.subscribed(to: channel) }, onMessage: onMessage)
            } catch {
                logger.debug("Subscription failed", metadata: ["channel": "\(channel)", "error": "\(error)"])
            }
            reception?.unsubscribed(from: channel)
            try? await Task.sleep(for: retryAfter)
        }
    }
}

/// Whether this process receives every announcement on some channels right now: it is subscribed to each of them, and
/// the store's subscriptions have not broken since (``MetadataSharedStore/subscriptionStretch``). Caches trust their
/// entries longer while it does, and check every entry again when it starts again (something may have been missed).
public final class AnnouncementReception: Sendable {
    let store: any MetadataSharedStore
    let channels: Set<String>
    private let subscribedChannels = Mutex(Set<String>())

    /// - Parameters:
    ///   - store: The store whose subscriptions carry the announcements.
    ///   - channels: Every channel whose announcements the reader relies on.
    public init(store: any MetadataSharedStore, channels: Set<String>) {
        self.store = store
        self.channels = channels
    }

    func subscribed(to channel: String) {
        subscribedChannels.withLock { _ = $0.insert(channel) }
    }

    func unsubscribed(from channel: String) {
        subscribedChannels.withLock { _ = $0.remove(channel) }
    }

    /// The current stretch of complete reception (see ``MetadataSharedStore/subscriptionStretch``), or nil while
    /// announcements may be missed.
    public var stretch: UInt64? {
        guard subscribedChannels.withLock({ $0.isSuperset(of: channels) }) else { return nil }
        return store.subscriptionStretch
    }
}
