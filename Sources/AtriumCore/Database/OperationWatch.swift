import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The bounds of one database operation, and what is done when it outlives them.
///
/// An operation first waits for a connection (its workspace's share, then the pool), then runs on it:
/// - past ``leaseLimit`` still waiting, the wait is cancelled and the operation fails with
///   ``AtriumError/Code/unavailable`` (a 503 with `Retry-After` at the edge);
/// - past ``runLimit`` still running on its connection (PostgreSQL enforces `statement_timeout` itself; this catches a
///   server or network that stopped answering), the connection is closed, which fails the statement at once.
///
/// Nothing here waits on the operation: a wait the operation ignores cannot hold its caller.
struct OperationBounds: Sendable {
    /// The longest wait for a connection.
    var leaseLimit: Duration
    /// The longest an operation may hold its connection (counted from its start, lease included); nil: no bound.
    var runLimit: Duration?
}

/// Watches one operation against its ``OperationBounds``; see ``Database``.
final class OperationWatch: Sendable {
    /// Where the operation is, or how its bounds ended it.
    enum Phase: Sendable {
        case waitingForShare
        case waitingForPool
        case running(PostgresConnection)
        /// The lease bound passed while the operation waited; `inPool`: for the pool, not its workspace's share.
        case leaseTimedOut(inPool: Bool)
        case runTimedOut
        case finished
    }

    private let state = Mutex(Phase.waitingForShare)

    /// The operation's phase now.
    var phase: Phase { state.withLock { $0 } }

    /// Runs `operation` in a task of its own, bounded by `bounds`. The operation reports its progress with
    /// ``enteredPool()`` and ``leased(_:)``. Cancelling the caller cancels the operation.
    ///
    /// The caller is answered at a bound whatever the operation does then: past the lease bound it gets
    /// ``OperationTimeout`` at once (the operation is cancelled and left to end on its own); past the run bound the
    /// connection is closed and the caller gets ``OperationTimeout`` too.
    func run<Result: Sendable>(
        bounds: OperationBounds,
        _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let race = OperationRace<Result>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                race.start(continuation)
                let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
                let task = Task {
                    let result: Swift.Result<Result, any Error>
                    do { result = .success(try await operation()) } catch { result = .failure(error) }
                    race.finish(result)
                }
                race.attach(
                    task: task,
                    timers: [
                        eventLoop.scheduleTask(in: .init(bounds.leaseLimit)) { [self] in
                            if leaseExpired() { race.finish(.failure(OperationTimeout())) }
                        },
                    ] + (bounds.runLimit.map { runLimit in
                        [eventLoop.scheduleTask(in: .init(bounds.leaseLimit + runLimit)) { [self] in
                            if runExpired() { race.finish(.failure(OperationTimeout())) }
                        }]
                    } ?? [])
                )
            }
        } onCancel: {
            race.cancel()
        }
    }

    /// Called by the operation once its workspace share is granted and it waits for the pool.
    func enteredPool() {
        state.withLock { state in
            if case .waitingForShare = state { state = .waitingForPool }
        }
    }

    /// Called by the operation once it holds `connection`. Returns false if the lease bound already passed (the
    /// operation then stops without using the connection).
    func leased(_ connection: PostgresConnection) -> Bool {
        state.withLock { state in
            switch state {
            case .waitingForShare, .waitingForPool:
                state = .running(connection)
                return true
            default:
                return false
            }
        }
    }

    /// Called when the operation no longer uses its connection.
    func finish() {
        state.withLock { state in
            switch state {
            case .waitingForShare, .waitingForPool, .running: state = .finished
            default: break
            }
        }
    }

    private func leaseExpired() -> Bool {
        state.withLock { state in
            switch state {
            case .waitingForShare:
                state = .leaseTimedOut(inPool: false)
                return true
            case .waitingForPool:
                state = .leaseTimedOut(inPool: true)
                return true
            default:
                return false
            }
        }
    }

    private func runExpired() -> Bool {
        let connection: PostgresConnection? = state.withLock { state in
            guard case .running(let connection) = state else { return nil }
            state = .runTimedOut
            return connection
        }
        connection?.close().whenComplete { _ in }
        return connection != nil
    }
}

/// An operation outlived one of its bounds (``OperationWatch/phase`` tells which).
struct OperationTimeout: Error {}
