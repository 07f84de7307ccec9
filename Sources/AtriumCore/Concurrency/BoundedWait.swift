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
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Success, any Error>) in
        let waiter = Mutex<CheckedContinuation<Success, any Error>?>(continuation)
        let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .init(limit)) {
            guard let continuation = waiter.withLock({ $0.take() }) else { return }
            task.cancel()
            continuation.resume(throwing: TimeoutError(limit: limit))
        }
        Task {
            let result = await task.result
            timer.cancel()
            waiter.withLock { $0.take() }?.resume(with: result)
        }
    }
}
