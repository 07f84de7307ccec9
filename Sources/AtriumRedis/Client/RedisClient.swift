import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Atrium's Redis client: a small pool of pipelined connections plus one dedicated pub/sub connection.
///
/// `RedisClient` is a `Service`: the pool lives while ``run()`` runs. Add it to the application's `ServiceGroup`:
/// ```swift
/// let redis = RedisClient(configuration: try RedisConfiguration(url: redisURL), logger: logger)
/// app.addServices(redis)
/// // in a handler:
/// try await redis.set("atrium:{ws:1}:k", to: "v", expiration: .seconds(60))
/// let value = try await redis.get("atrium:{ws:1}:k")
/// ```
///
/// - Commands issued **before** `run()` starts wait for it, up to `max(commandTimeout, 10 s)`, then fail with
///   `.unavailable` (so a service started slightly later in the same `ServiceGroup` is fine, and a forgotten `run()` is loud). Commands issued after `run()` returned fail with `.shutdown`.
/// - Connections are opened on first use and replaced on demand after they die. A command never hangs: it gets its
///   reply, or a ``RedisError`` (`.unavailable` when Redis cannot be reached, `.timeout` after `commandTimeout`,
///   `.connectionClosed` if the connection died with the command in flight — such a command is not retried, as it may
///   have run).
/// - Redis faults fail fast: a failed connect or a command timeout opens a circuit, and while it is open every call
///   fails at once with `.unavailable` (no network, no waiting) while one background attempt at a time reconnects
///   (`reconnectBaseDelay` doubling up to `maximumReconnectDelay`); the first success closes it. ``isAvailable`` tells
///   which state the client is in.
/// - Redis error replies are thrown as ``RedisError`` with code `.serverError` and Redis' message.
public final class RedisClient: Service, Sendable {
    private enum Lifecycle {
        case initial(waiters: [EventLoopPromise<Void>])
        case running
        case shutdown
    }

    /// The configuration the client was created with.
    public let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    let counters = RedisStatisticsCounters()
    private let pool: RedisConnectionPool
    let pubSub: RedisPubSub
    let breaker: RedisCircuitBreaker
    private let lifecycle = Mutex<Lifecycle>(.initial(waiters: []))

    /// Creates a client. Nothing connects until a command is sent while ``run()`` runs.
    /// - Parameters:
    ///   - configuration: Where to connect, pool size and timeouts.
    ///   - eventLoopGroup: The event loops for the connections.
    ///   - logger: For connection events (commands themselves are not logged).
    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        let breaker = RedisCircuitBreaker(configuration: configuration, eventLoop: eventLoopGroup.next(), logger: logger, counters: self.counters)
        self.breaker = breaker
        self.pool = RedisConnectionPool(
            configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger, counters: self.counters, breaker: breaker
        )
        self.pubSub = RedisPubSub(
            configuration: configuration, eventLoop: eventLoopGroup.next(), logger: logger, counters: self.counters, breaker: breaker
        )
    }

    /// `false` while the circuit is open: Redis was found unreachable (or silent) and calls fail at once with
    /// `.unavailable` until a background reconnect succeeds.
    public var isAvailable: Bool { !self.breaker.isOpen }

    /// Counters for `/metrics`, read atomically.
    public var statistics: RedisClientStatistics { self.counters.snapshot }

    // MARK: - Service

    /// Runs the client until graceful shutdown or cancellation, then closes every connection and ends every subscription.
    /// - Throws: ``RedisError`` `.shutdown` if called twice.
    public func run() async throws {
        let waiters: [EventLoopPromise<Void>] = try self.lifecycle.withLock { state in
            guard case .initial(let waiters) = state else { throw RedisError(.shutdown, "RedisClient.run() may only be called once") }
            state = .running
            return waiters
        }
        for waiter in waiters { waiter.succeed() }
        self.logger.debug("Redis client running", metadata: ["redis.host": "\(self.configuration.host)", "redis.port": "\(self.configuration.port)"])

        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.pubSub.maintain() }
            try? await gracefulShutdown()
            self.lifecycle.withLock { $0 = .shutdown }
            self.pool.shutdown()
            self.pubSub.shutdown()
            self.breaker.shutdown()
            group.cancelAll()
        }
        self.logger.debug("Redis client stopped")
    }

    // MARK: - Commands

    /// Sends any command and returns its reply.
    ///
    /// ```swift
    /// let reply = try await redis.send(["HSET", "h", "field", RedisArgument(bytes)])
    /// ```
    /// - Parameter command: The command name and its arguments, binary-safe.
    /// - Returns: The reply. Error replies are thrown instead.
    /// - Throws: ``RedisError``: `.serverError` for an error reply, `.timeout`, `.connectionClosed`, `.unavailable`, `.shutdown`.
    @discardableResult
    public func send(_ command: [RedisArgument]) async throws -> RESPValue {
        try await self.send(command, timeout: nil)
    }

    /// ``send(_:)-(RedisArgument)`` with a reply timeout other than `commandTimeout` (a blocking read's).
    func send(_ command: [RedisArgument], timeout: TimeAmount?) async throws -> RESPValue {
        self.counters.totalCommands.add(1, ordering: .relaxed)
        self.counters.commandsInFlight.add(1, ordering: .relaxed)
        defer { self.counters.commandsInFlight.subtract(1, ordering: .relaxed) }
        do {
            try await self.waitForRun()
            let connection = try await self.pool.connection()
            let reply = try await connection.send(command, timeout: timeout).get()
            if case .error(let message) = reply { throw RedisError(.serverError, message) }
            return reply
        } catch {
            self.counters.totalFailures.add(1, ordering: .relaxed)
            throw error
        }
    }

    /// Sends any command given as buffers and returns its reply.
    /// - Parameter command: The command name and its arguments.
    /// - Throws: See ``send(_:)-(RedisArgument)``.
    @discardableResult
    public func send(_ command: [ByteBuffer]) async throws -> RESPValue {
        try await self.send(command.map { RedisArgument($0) })
    }

    /// A connection from the pool.
    func pooledConnection() async throws -> RedisConnection {
        try await self.pool.connection()
    }

    /// Waits for ``run()`` to start (at most `max(commandTimeout, 10 s)`: on a loaded machine a task group may start
    /// `run()` well after its siblings).
    func waitForRun() async throws {
        let promise: EventLoopPromise<Void>? = try self.lifecycle.withLock { state in
            switch state {
            case .running:
                return nil
            case .shutdown:
                throw RedisError(.shutdown, "The Redis client has shut down")
            case .initial(var waiters):
                let promise = self.eventLoopGroup.any().makePromise(of: Void.self)
                waiters.append(promise)
                state = .initial(waiters: waiters)
                return promise
            }
        }
        guard let promise else { return }
        let timeout = max(self.configuration.commandTimeout, .seconds(10))
        let deadline = promise.futureResult.eventLoop.scheduleTask(in: timeout) {
            promise.fail(RedisError(.unavailable, "RedisClient.run() did not start within \(timeout.nanoseconds / 1_000_000) ms"))
        }
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        try await promise.futureResult.get()
    }

    /// The number of the current unbroken stretch during which every message published to this client's subscriptions
    /// reaches it, or nil while messages may be missed (not subscribed yet, or the pub/sub connection was lost and the
    /// subscriptions are not restored). A number other than the last one read means messages may have been missed.
    public var subscriptionStretch: UInt64? { self.pubSub.liveStretch }

    /// Subscribes on the dedicated pub/sub connection.
    func subscribe(channels: [String], patterns: [String]) async throws -> RedisSubscription {
        try await self.waitForRun()
        return try await self.pubSub.subscribe(channels: channels, patterns: patterns)
    }
}
