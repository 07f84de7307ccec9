import Logging
import NIOCore
import Synchronization

/// One place in the pool: holds a live connection, or the (shared) attempt to make one.
///
/// While the client's circuit (``RedisCircuitBreaker``) is closed, callers that find no live connection start a connect
/// attempt or join the running one (bounded by `connectTimeout`); when it fails they all fail with `.unavailable` and
/// the circuit opens. While it is open, callers fail at once: the slot neither connects nor lets anyone wait, and the
/// breaker probes in the background. Nothing is retried behind a caller's back.
final class RedisConnectionSlot: Sendable {
    private enum State {
        case idle(everConnected: Bool)
        case connecting(EventLoopFuture<RedisConnection>)
        case connected(RedisConnection)
        case shutdown
    }

    private let state = Mutex<State>(.idle(everConnected: false))
    private let configuration: RedisConfiguration
    private let eventLoop: any EventLoop
    private let logger: Logger
    private let counters: RedisStatisticsCounters
    private let breaker: RedisCircuitBreaker
    private let pushHandler: (@Sendable (RESPValue) -> Void)?

    init(
        configuration: RedisConfiguration,
        eventLoop: any EventLoop,
        logger: Logger,
        counters: RedisStatisticsCounters,
        breaker: RedisCircuitBreaker,
        pushHandler: (@Sendable (RESPValue) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.logger = logger
        self.counters = counters
        self.breaker = breaker
        self.pushHandler = pushHandler
    }

    /// The live connection, if there is one right now.
    var currentConnection: RedisConnection? {
        self.state.withLock { state in
            if case .connected(let connection) = state, connection.isActive { return connection }
            return nil
        }
    }

    /// A live connection: the current one, or a new one while the circuit is closed.
    /// - Throws: ``RedisError`` `.unavailable` at once while the circuit is open, or if connecting fails;
    ///   `.shutdown` after ``shutdown()``.
    func connection() async throws -> RedisConnection {
        try await self.connectionFuture().get()
    }

    /// Like ``connection()``, as a future.
    func connectionFuture() -> EventLoopFuture<RedisConnection> {
        enum Decision {
            case use(EventLoopFuture<RedisConnection>)
            case connect(reconnect: Bool, promise: EventLoopPromise<RedisConnection>)
            case fail(RedisError)
        }
        let decision: Decision = self.state.withLock { state in
            if case .shutdown = state { return .fail(RedisError(.shutdown, "The Redis client has shut down")) }
            // Open circuit: no caller joins or starts a connect attempt, nor uses a connection that may be silent.
            if let error = self.breaker.isOpen ? self.breaker.openError : nil { return .fail(error) }
            switch state {
            case .connected(let connection) where connection.isActive:
                return .use(self.eventLoop.makeSucceededFuture(connection))
            case .connecting(let future):
                return .use(future)
            case .shutdown:
                return .fail(RedisError(.shutdown, "The Redis client has shut down"))
            case .connected:
                let promise = self.eventLoop.makePromise(of: RedisConnection.self)
                state = .connecting(promise.futureResult)
                return .connect(reconnect: true, promise: promise)
            case .idle(let everConnected):
                let promise = self.eventLoop.makePromise(of: RedisConnection.self)
                state = .connecting(promise.futureResult)
                return .connect(reconnect: everConnected, promise: promise)
            }
        }
        switch decision {
        case .use(let future):
            return future
        case .fail(let error):
            return self.eventLoop.makeFailedFuture(error)
        case .connect(let reconnect, let promise):
            // Outside the lock: the attempt's callbacks take the lock again.
            let breaker = self.breaker
            let attempt = RedisConnection.connect(
                configuration: self.configuration, eventLoop: self.eventLoop, logger: self.logger, pushHandler: self.pushHandler,
                onTimeout: { breaker.trip($0) }
            )
            attempt.whenComplete { result in self.finishConnecting(result, reconnect: reconnect) }
            attempt.cascade(to: promise)
            return promise.futureResult
        }
    }

    /// Closes the connection and refuses new ones.
    func shutdown() {
        let previous = self.state.withLock { state in
            let previous = state
            state = .shutdown
            return previous
        }
        switch previous {
        case .connected(let connection): connection.close()
        case .connecting(let future): future.whenSuccess { $0.close() }
        case .idle, .shutdown: break
        }
    }

    // MARK: - Connecting

    private func finishConnecting(_ result: Result<RedisConnection, any Error>, reconnect: Bool) {
        switch result {
        case .success(let connection):
            let accepted = self.state.withLock { state -> Bool in
                if case .shutdown = state { return false }
                state = .connected(connection)
                return true
            }
            guard accepted else {
                connection.close()
                return
            }
            self.breaker.connectionSucceeded()
            self.counters.openConnections.add(1, ordering: .relaxed)
            if reconnect { self.counters.reconnects.add(1, ordering: .relaxed) }
            self.logger.debug("Redis connection established", metadata: ["redis.reconnect": "\(reconnect)"])
            connection.closeFuture.whenComplete { _ in
                self.counters.openConnections.subtract(1, ordering: .relaxed)
                self.state.withLock { state in
                    if case .connected(let current) = state, current === connection {
                        state = .idle(everConnected: true)
                    }
                }
            }
        case .failure(let error):
            self.state.withLock { state in
                if case .shutdown = state { return }
                state = .idle(everConnected: true)
            }
            let redisError = error as? RedisError ?? RedisError(.unavailable, "Redis is unreachable", underlying: error)
            self.breaker.trip(redisError)
        }
    }
}
