import NIOCore
import NIOPosix
import Synchronization

/// Waits for `task`'s value for at most `limit`.
///
/// Unlike ``withTimeout(_:operation:)``, which waits for its operation to end after cancelling it, this returns at the
/// limit whatever the task does: past it, `task` is cancelled and left to finish on its own, and the caller gets
/// ``TimeoutError``. For values many callers share (one read of an API key, of a workspace's metadata), so that one
/// stuck read cannot hold every caller that joined it.
public func value<Success: Sendable>(of task: Task<Success, any Error>, within limit: Duration) async throws -> Success {
    let race = OperationRace<Success>()
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Success, any Error>) in
        race.start(continuation)
        race.attach(
            task: Task { race.finish(await task.result) },
            timers: [MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .init(limit)) {
                task.cancel()
                race.finish(.failure(TimeoutError(limit: limit)))
            }]
        )
    }
}

/// Who answers a waiting caller first: the awaited work, a bound (a NIO timer), or the caller's cancellation. The
/// caller is resumed once, by the first; the others are cancelled.
final class OperationRace<Result: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result, any Error>?
        var task: Task<Void, Never>?
        var timers: [Scheduled<Void>] = []
        var cancelled = false
        var finished = false
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<Result, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Keeps the operation's task and timers, to cancel them once answered (at once if already answered).
    func attach(task: Task<Void, Never>, timers: [Scheduled<Void>]) {
        let (cancelTask, cancelTimers) = state.withLock { state -> (Bool, Bool) in
            state.task = task
            state.timers = timers
            return (state.cancelled || state.finished, state.finished)
        }
        if cancelTask { task.cancel() }
        if cancelTimers { for timer in timers { timer.cancel() } }
    }

    /// Answers the caller with `result`, unless it was answered already; cancels what is left.
    func finish(_ result: Swift.Result<Result, any Error>) {
        let (continuation, task, timers) = state.withLock { state in
            guard !state.finished else { return (CheckedContinuation<Result, any Error>?.none, Task<Void, Never>?.none, [Scheduled<Void>]()) }
            state.finished = true
            defer { state.continuation = nil; state.timers = [] }
            return (state.continuation, state.task, state.timers)
        }
        for timer in timers { timer.cancel() }
        if case .failure = result { task?.cancel() }
        continuation?.resume(with: result)
    }

    /// The caller was cancelled: the operation is cancelled and answers it as it ends.
    func cancel() {
        let task = state.withLock { state in
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }
}
