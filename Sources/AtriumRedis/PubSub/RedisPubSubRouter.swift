import Synchronization

/// The registry of live subscriptions: which subscriber wants which channels and patterns, and delivery of pushes to them.
final class RedisPubSubRouter: Sendable {
    private struct Subscriber {
        var channels: Set<String>
        var patterns: Set<String>
        var continuation: AsyncStream<RedisPubSubMessage>.Continuation
    }

    private struct State {
        var subscribers: [UInt64: Subscriber] = [:]
        var nextID: UInt64 = 0
        var isShutdown = false
    }

    private let state = Mutex(State())

    /// Registers a subscriber. `onTermination` runs when its stream ends, with the subscriber's id.
    /// - Throws: ``RedisError`` `.shutdown` after ``shutdown()``.
    func add(
        channels: [String],
        patterns: [String],
        onTermination: @escaping @Sendable (UInt64) -> Void
    ) throws(RedisError) -> (id: UInt64, subscription: RedisSubscription) {
        let (stream, continuation) = AsyncStream.makeStream(of: RedisPubSubMessage.self)
        let id: UInt64? = self.state.withLock { state in
            guard !state.isShutdown else { return nil }
            state.nextID += 1
            state.subscribers[state.nextID] = Subscriber(channels: Set(channels), patterns: Set(patterns), continuation: continuation)
            return state.nextID
        }
        guard let id else { throw RedisError(.shutdown, "The Redis client has shut down") }
        continuation.onTermination = { _ in onTermination(id) }
        return (id, RedisSubscription(stream: stream, continuation: continuation))
    }

    /// Removes a subscriber; returns the channels and patterns nobody wants any more.
    func remove(id: UInt64) -> (channels: [String], patterns: [String]) {
        self.state.withLock { state in
            guard let removed = state.subscribers.removeValue(forKey: id) else { return ([], []) }
            let (channels, patterns) = Self.names(in: state)
            return (Array(removed.channels.subtracting(channels)), Array(removed.patterns.subtracting(patterns)))
        }
    }

    /// Every channel and pattern some subscriber wants.
    var wanted: (channels: Set<String>, patterns: Set<String>) {
        self.state.withLock { Self.names(in: $0) }
    }

    /// `true` while there is at least one subscriber and the client runs.
    var needsConnection: Bool {
        self.state.withLock { !$0.isShutdown && !$0.subscribers.isEmpty }
    }

    /// Delivers a `message`/`pmessage` push to every subscriber that asked for it.
    func deliver(_ push: RESPValue) {
        guard let message = RedisPubSubMessage(push: push) else { return }
        let targets = self.state.withLock { state in
            state.subscribers.values.compactMap { subscriber -> AsyncStream<RedisPubSubMessage>.Continuation? in
                if let pattern = message.pattern {
                    return subscriber.patterns.contains(pattern) ? subscriber.continuation : nil
                }
                return subscriber.channels.contains(message.channel) ? subscriber.continuation : nil
            }
        }
        for continuation in targets { continuation.yield(message) }
    }

    /// Ends every subscription and refuses new ones.
    func shutdown() {
        let continuations = self.state.withLock { state in
            state.isShutdown = true
            return state.subscribers.values.map(\.continuation)
        }
        for continuation in continuations { continuation.finish() }
    }

    private static func names(in state: State) -> (channels: Set<String>, patterns: Set<String>) {
        var channels = Set<String>()
        var patterns = Set<String>()
        for subscriber in state.subscribers.values {
            channels.formUnion(subscriber.channels)
            patterns.formUnion(subscriber.patterns)
        }
        return (channels, patterns)
    }
}
