import Logging
import NIOCore
import Synchronization

/// Fails callers at once while Redis is known to be unreachable, and finds out in the background when it is back.
///
/// - **Closed** (normal): commands go to the pool; a slot without a live connection connects on demand.
///   A failed connect (refused, unreachable, handshake refused, no `PING` answer within `connectTimeout`) or a command
///   without a reply within `commandTimeout` **opens** the circuit.
/// - **Open**: every caller fails with `.unavailable` without touching the network (``check()`` is one atomic load on
///   the closed path). One background probe at a time (connect, handshake, `PING`) runs on its own schedule:
///   `reconnectBaseDelay` after opening, doubling up to `maximumReconnectDelay`. The first connection that succeeds
///   (a probe's, or a connect that began before the circuit opened) closes the circuit.
///
/// No caller ever waits for a probe or a backoff delay; only callers present when Redis stops answering wait, at most
/// `connectTimeout` or `commandTimeout`, for the failure that opens the circuit.
final class RedisCircuitBreaker: Sendable {
    private enum State {
        case closed
        case open(Outage)
        case shutdown
    }

    private struct Outage {
        var since: NIODeadline
        var failedProbes: Int
        /// What callers get while the circuit is open.
        var error: RedisError
        /// ``waitUntilClosed()`` callers.
        var waiters: [EventLoopPromise<Void>]
    }

    private let state = Mutex<State>(.closed)
    /// Mirrors `state` being `.open`, so the closed path costs no lock.
    private let isOpenFlag = Atomic<Bool>(false)
    private let configuration: RedisConfiguration
    private let eventLoop: any EventLoop
    private let logger: Logger
    private let counters: RedisStatisticsCounters

    init(configuration: RedisConfiguration, eventLoop: any EventLoop, logger: Logger, counters: RedisStatisticsCounters) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.logger = logger
        self.counters = counters
    }

    /// `true` while the circuit is open.
    var isOpen: Bool { self.isOpenFlag.load(ordering: .acquiring) }

    /// Throws at once while the circuit is open.
    /// - Throws: ``RedisError`` `.unavailable`, naming the failure that opened the circuit.
    func check() throws(RedisError) {
        guard self.isOpen, let error = self.openError else { return }
        throw error
    }

    /// The error callers get while the circuit is open; `nil` when it is closed.
    var openError: RedisError? {
        self.state.withLock { state in
            if case .open(let outage) = state { return outage.error }
            return nil
        }
    }

    // MARK: - Transitions

    /// Opens the circuit after `error` (a failed connect, or a command timeout), unless it is open already.
    func trip(_ error: RedisError) {
        let opened: Bool = self.state.withLock { state in
            guard case .closed = state else { return false }
            state = .open(Outage(since: .now(), failedProbes: 0, error: Self.failFast(after: error), waiters: []))
            self.isOpenFlag.store(true, ordering: .releasing)
            return true
        }
        guard opened else { return }
        self.counters.circuitOpenings.add(1, ordering: .relaxed)
        self.logger.warning(
            "Redis unreachable: Redis calls fail at once until a background reconnect succeeds",
            metadata: ["error": "\(String(reflecting: error))"]
        )
        self.scheduleProbe(afterFailures: 1)
    }

    /// Closes the circuit: a connection to Redis succeeded.
    func connectionSucceeded() {
        let closed: Outage? = self.state.withLock { state in
            guard case .open(let outage) = state else { return nil }
            state = .closed
            self.isOpenFlag.store(false, ordering: .releasing)
            return outage
        }
        guard let outage = closed else { return }
        let milliseconds = (NIODeadline.now() - outage.since).nanoseconds / 1_000_000
        self.logger.notice("Redis reachable again", metadata: ["redis.outage_ms": "\(milliseconds)"])
        for waiter in outage.waiters { waiter.succeed() }
    }

    /// Stops probing; ``waitUntilClosed()`` callers return.
    func shutdown() {
        let previous = self.state.withLock { state in
            defer { state = .shutdown }
            return state
        }
        self.isOpenFlag.store(false, ordering: .releasing)
        if case .open(let outage) = previous {
            for waiter in outage.waiters { waiter.succeed() }
        }
    }

    /// Returns when the circuit is closed (at once if it is), or after ``shutdown()``.
    func waitUntilClosed() async {
        let promise: EventLoopPromise<Void>? = self.state.withLock { state in
            guard case .open(var outage) = state else { return nil }
            let promise = self.eventLoop.makePromise(of: Void.self)
            outage.waiters.append(promise)
            state = .open(outage)
            return promise
        }
        try? await promise?.futureResult.get()
    }

    // MARK: - Probing

    private func scheduleProbe(afterFailures failures: Int) {
        let delay = self.configuration.reconnectDelay(afterFailures: failures)
        self.eventLoop.scheduleTask(in: delay) { self.probe() }
    }

    /// One connect attempt, in the background; schedules the next one if it fails and the circuit is still open.
    private func probe() {
        guard self.isOpen else { return }
        RedisConnection.connect(configuration: self.configuration, eventLoop: self.eventLoop, logger: self.logger)
            .whenComplete { result in
                switch result {
                case .success(let connection):
                    connection.close()
                    self.connectionSucceeded()
                case .failure(let error):
                    let failures: Int? = self.state.withLock { state in
                        guard case .open(var outage) = state else { return nil }
                        outage.failedProbes += 1
                        if let error = error as? RedisError { outage.error = Self.failFast(after: error) }
                        state = .open(outage)
                        return outage.failedProbes
                    }
                    self.logger.debug("Redis reconnect probe failed", metadata: ["error": "\(error)", "redis.probes": "\(failures ?? 0)"])
                    if let failures { self.scheduleProbe(afterFailures: failures + 1) }
                }
            }
    }

    /// The `.unavailable` error callers get while the circuit is open after `error`.
    private static func failFast(after error: RedisError) -> RedisError {
        RedisError(
            .unavailable,
            "Redis is unavailable (\(error.message)); calls fail at once until a background reconnect succeeds",
            underlying: error
        )
    }
}
