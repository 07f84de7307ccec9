import Logging
import NIOCore
import Synchronization

/// One place in the pool: holds a live connection, or the (shared) attempt to make one, with backoff after failures.
///
/// Callers that find no live connection start a connect attempt or join the running one; when it fails they all fail
/// with `.unavailable`, and the next attempt waits the backoff delay first. Nothing is retried behind a caller's back.
final class RedisConnectionSlot: Sendable {
    private enum State {
        case idle(failures: Int, everConnected: Bool)
        case connecting(EventLoopFuture<RedisConnection>)
        case connected(RedisConnection)
        case shutdown
    }

    private let state = Mutex<State>(.idle(failures: 0, everConnected: false))
    private let configuration: RedisConfiguration
    private let eventLoop: any EventLoop
    private let logger: Logger
    private let counters: RedisStatisticsCounters
    private let pushHandler: (@Sendable (RESPValue) -> Void)?

    init(
        configuration: RedisConfiguration,
        eventLoop: any EventLoop,
        logger: Logger,
        counters: RedisStatisticsCounters,
        pushHandler: (@Sendable (RESPValue) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.logger = logger
        self.counters = counters
        self.pushHandler = pushHandler
    }

    /// The live connection, if there is one right now.
    var currentConnection: RedisConnection? {
        self.state.withLock { state in
            if case .connected(let connection) = state, connection.isActive { return connection }
            return nil
        }
    }

    /// A live connection: the current one, or a new one (after the backoff delay if the last attempts failed).
    /// - Throws: ``RedisError`` `.unavailable` if connecting fails, `.shutdown` after ``shutdown()``.
    func connection() async throws -> RedisConnection {
        try await self.connectionFuture().get()
    }

    /// Like ``connection()``, as a future.
    func connectionFuture() -> EventLoopFuture<RedisConnection> {
        enum Decision {
            case use(EventLoopFuture<RedisConnection>)
            case connect(failures: Int, reconnect: Bool, promise: EventLoopPromise<RedisConnection>)
            case fail(RedisError)
        }
        let decision: Decision = self.state.withLock { state in
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
                return .connect(failures: 0, reconnect: true, promise: promise)
            case .idle(let failures, let everConnected):
                let promise = self.eventLoop.makePromise(of: RedisConnection.self)
                state = .connecting(promise.futureResult)
                return .connect(failures: failures, reconnect: everConnected || failures > 0, promise: promise)
            }
        }
        switch decision {
        case .use(let future):
            return future
        case .fail(let error):
            return self.eventLoop.makeFailedFuture(error)
        case .connect(let failures, let reconnect, let promise):
            // Outside the lock: the attempt's callbacks take the lock again.
            let attempt = self.startConnecting(failures: failures)
            attempt.whenComplete { result in self.finishConnecting(result, failures: failures, reconnect: reconnect) }
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

    /// Schedules a connect attempt, after the backoff delay for `failures`.
    private func startConnecting(failures: Int) -> EventLoopFuture<RedisConnection> {
        let delay = self.configuration.reconnectDelay(afterFailures: failures)
        let configuration = self.configuration
        let logger = self.logger
        let pushHandler = self.pushHandler
        let eventLoop = self.eventLoop
        let attempt: EventLoopFuture<RedisConnection>
        if delay > .zero {
            attempt = eventLoop.scheduleTask(in: delay) {}.futureResult.flatMap {
                RedisConnection.connect(configuration: configuration, eventLoop: eventLoop, logger: logger, pushHandler: pushHandler)
            }
        } else {
            attempt = RedisConnection.connect(configuration: configuration, eventLoop: eventLoop, logger: logger, pushHandler: pushHandler)
        }
        return attempt
    }

    private func finishConnecting(_ result: Result<RedisConnection, any Error>, failures: Int, reconnect: Bool) {
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
            self.counters.openConnections.add(1, ordering: .relaxed)
            if reconnect { self.counters.reconnects.add(1, ordering: .relaxed) }
            self.logger.debug("Redis connection established", metadata: ["redis.reconnect": "\(reconnect)"])
            connection.closeFuture.whenComplete { _ in
                self.counters.openConnections.subtract(1, ordering: .relaxed)
                self.state.withLock { state in
                    if case .connected(let current) = state, current === connection {
                        state = .idle(failures: 0, everConnected: true)
                    }
                }
            }
        case .failure(let error):
            self.logger.warning("Redis connect failed", metadata: ["error": "\(error)", "redis.failures": "\(failures + 1)"])
            self.state.withLock { state in
                if case .shutdown = state { return }
                state = .idle(failures: failures + 1, everConnected: true)
            }
        }
    }
}
