import Logging
import NIOCore
import Synchronization

/// Pub/sub on one dedicated connection, restored after reconnects.
///
/// ``maintain()`` runs inside `RedisClient.run()`: whenever the connection is lost (or a new one appears) and
/// subscriptions exist, it reconnects (once the client's circuit is closed) and re-sends `SUBSCRIBE`/`PSUBSCRIBE` for everything wanted.
final class RedisPubSub: Sendable {
    /// Connections are held, not identified by address: a closed connection's memory is often reused for the next
    /// one, and an `ObjectIdentifier` comparison then took the new connection for the old, already restored one, so
    /// the subscriptions were never re-sent after a Redis restart.
    private struct Watch {
        /// The connection whose close we observe.
        var watched: RedisConnection?
        /// The connection on which every wanted channel and pattern has been (re)subscribed.
        var restored: RedisConnection?
        /// Counts the stretches during which the subscriptions were in place; the current one's number while
        /// ``live``.
        var stretch: UInt64 = 0
        /// Whether the subscriptions are in place on an open connection, so no message to them is being missed.
        var live = false
    }

    private let router: RedisPubSubRouter
    private let slot: RedisConnectionSlot
    private let breaker: RedisCircuitBreaker
    private let logger: Logger
    private let watch = Mutex(Watch())
    private let signals: AsyncStream<Void>
    private let signalContinuation: AsyncStream<Void>.Continuation

    init(
        configuration: RedisConfiguration, eventLoop: any EventLoop, logger: Logger, counters: RedisStatisticsCounters,
        breaker: RedisCircuitBreaker
    ) {
        let router = RedisPubSubRouter()
        self.router = router
        self.logger = logger
        self.breaker = breaker
        self.slot = RedisConnectionSlot(
            configuration: configuration,
            eventLoop: eventLoop,
            logger: logger,
            counters: counters,
            breaker: breaker,
            pushHandler: { router.deliver($0) }
        )
        (self.signals, self.signalContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    // MARK: - Subscribing

    /// Subscribes to `channels` and `patterns`, returning their messages.
    /// - Throws: ``RedisError`` if Redis cannot be reached or refuses the subscription.
    func subscribe(channels: [String], patterns: [String]) async throws -> RedisSubscription {
        let (id, subscription) = try self.router.add(channels: channels, patterns: patterns) { [weak self] id in
            self?.subscriberEnded(id: id)
        }
        do {
            let connection = try await self.slot.connection()
            self.observe(connection)
            try await Self.subscribe(channels: channels, patterns: patterns, on: connection)
        } catch {
            _ = self.router.remove(id: id)
            subscription.unsubscribe()
            throw error
        }
        return subscription
    }

    private func subscriberEnded(id: UInt64) {
        let (channels, patterns) = self.router.remove(id: id)
        guard let connection = self.slot.currentConnection, !(channels.isEmpty && patterns.isEmpty) else { return }
        if !channels.isEmpty {
            _ = connection.send(["UNSUBSCRIBE"] + channels.map { RedisArgument($0) }, replyCount: channels.count)
        }
        if !patterns.isEmpty {
            _ = connection.send(["PUNSUBSCRIBE"] + patterns.map { RedisArgument($0) }, replyCount: patterns.count)
        }
    }

    private static func subscribe(channels: some Collection<String>, patterns: some Collection<String>, on connection: RedisConnection)
        async throws
    {
        if !channels.isEmpty {
            let reply = try await connection.send(["SUBSCRIBE"] + channels.map { RedisArgument($0) }, replyCount: channels.count).get()
            try Self.check(reply)
        }
        if !patterns.isEmpty {
            let reply = try await connection.send(["PSUBSCRIBE"] + patterns.map { RedisArgument($0) }, replyCount: patterns.count).get()
            try Self.check(reply)
        }
    }

    private static func check(_ reply: RESPValue) throws {
        if case .error(let message) = reply { throw RedisError(.serverError, message) }
        if case .array(let items) = reply {
            for item in items { if case .error(let message) = item { throw RedisError(.serverError, message) } }
        }
    }

    // MARK: - Restoring after reconnects

    /// Wakes ``maintain()`` when `connection` is new, and again when it closes.
    private func observe(_ connection: RedisConnection) {
        let isNew = self.watch.withLock { watch in
            guard watch.watched !== connection else { return false }
            watch.watched = connection
            return true
        }
        guard isNew else { return }
        let signal = self.signalContinuation
        connection.closeFuture.whenComplete { [weak self] _ in
            // From here on, messages may be missed until the subscriptions are restored on another connection.
            self?.watch.withLock { watch in if watch.restored === connection { watch.live = false } }
            signal.yield()
        }
        signal.yield()
    }

    /// The number of the current unbroken stretch during which every message to the subscriptions reaches this
    /// process, or nil while messages may be missed (no subscription yet, or the connection was lost and they are not
    /// restored). A different number than before means messages may have been missed in between.
    var liveStretch: UInt64? {
        self.watch.withLock { $0.live ? $0.stretch : nil }
    }

    /// Keeps the subscriptions alive until cancelled or shut down. Runs inside `RedisClient.run()`.
    func maintain() async {
        for await _ in self.signals {
            while !Task.isCancelled, self.router.needsConnection {
                do {
                    let connection = try await self.slot.connection()
                    self.observe(connection)
                    if self.watch.withLock({ $0.restored === connection }) { break }
                    let wanted = self.router.wanted
                    try await Self.subscribe(channels: wanted.channels, patterns: wanted.patterns, on: connection)
                    self.watch.withLock { watch in
                        watch.restored = connection
                        watch.stretch &+= 1
                        // Closed meanwhile: the close handler ran before this connection was the restored one.
                        watch.live = connection.channel.isActive
                    }
                    self.logger.debug(
                        "Redis subscriptions restored",
                        metadata: ["redis.channels": "\(wanted.channels.count)", "redis.patterns": "\(wanted.patterns.count)"]
                    )
                    break
                } catch {
                    self.logger.debug("Redis pub/sub reconnect failed", metadata: ["error": "\(error)"])
                    if self.breaker.isOpen {
                        // Redis is down: the circuit's probe finds out when it is back; resubscribe then.
                        await self.breaker.waitUntilClosed()
                    } else {
                        // Paces failed re-subscriptions.
                        try? await Task.sleep(for: .milliseconds(20))
                    }
                }
            }
        }
    }

    /// Ends every subscription and closes the connection.
    func shutdown() {
        self.router.shutdown()
        self.slot.shutdown()
        self.signalContinuation.finish()
    }
}
