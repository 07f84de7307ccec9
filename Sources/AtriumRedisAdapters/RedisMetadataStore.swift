import AtriumCore
import AtriumRedis
import NIOCore

/// ``MetadataSharedStore`` over Atrium's `RedisClient`: the shared metadata and permission caches, and the
/// pub/sub announcements (metadata changes, API key revocations, workspace status changes) every instance subscribes to.
///
/// ```swift
/// let store = RedisMetadataStore(redis: redis)
/// let metadata = WorkspaceSchemaCache(database: database, store: store, logger: logger)
/// ```
public struct RedisMetadataStore: MetadataSharedStore {
    let redis: RedisClient

    /// - Parameter redis: A client whose service runs in the same `ServiceGroup`.
    public init(redis: RedisClient) {
        self.redis = redis
    }

    public func get(_ key: String) async throws -> [UInt8]? {
        try await redis.get(key).map { Array($0.readableBytesView) }
    }

    public func set(_ key: String, to value: [UInt8], expiration: Duration?) async throws {
        try await redis.set(key, to: RedisArgument(bytes: value), expiration: expiration.map { .milliseconds(Self.milliseconds($0)) })
    }

    /// A Lua script, so the comparison and the write are atomic.
    public func raise(_ key: String, to value: Int, expiration: Duration?) async throws {
        try await redis.eval(Self.raiseScript, keys: [key], arguments: [
            RedisArgument(value), RedisArgument(expiration.map { Self.milliseconds($0) } ?? 0),
        ])
    }

    public func publish(_ message: String, to channel: String) async throws {
        try await redis.publish(RedisArgument(message), to: channel)
    }

    public func subscribe(
        to channel: String, onSubscribed: @escaping @Sendable () -> Void, onMessage: @escaping @Sendable (String) async -> Void
    ) async throws {
        let subscription = try await redis.subscribe(to: [channel])
        onSubscribed()
        for await message in subscription {
            await onMessage(message.payloadString)
        }
    }

    public var subscriptionStretch: UInt64? { redis.subscriptionStretch }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    static let raiseScript = """
        local current = tonumber(redis.call('GET', KEYS[1]))
        if current == nil or current < tonumber(ARGV[1]) then
            if tonumber(ARGV[2]) > 0 then
                redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            else
                redis.call('SET', KEYS[1], ARGV[1])
            end
            return 1
        end
        return 0
        """
}
