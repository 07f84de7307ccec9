import NIOCore
import NIOPosix
import Synchronization

/// A counting semaphore per key: at most ``limit`` holders per key at once, the others waiting first come first
/// served. Keys are independent: one key at its limit holds nobody else up.
///
/// Atrium keys it by workspace, for the pool's connections (`PG_POOL_MAX_CONNECTIONS_PER_WORKSPACE`, in ``Database``)
/// and for requests in flight (`WORKSPACE_MAX_CONCURRENT_REQUESTS`, at the HTTP edge), so one tenant's burst cannot
/// take what the others need. The wait is cancellable, so a caller bounds it by cancelling (a timeout).
///
/// ```swift
/// try await semaphore.acquire(workspace)
/// defer { semaphore.release(workspace) }
/// ```
public final class KeyedSemaphore<Key: Hashable & Sendable>: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Slots {
        var inUse = 0
        var waiters: [Waiter] = []
    }

    private struct State {
        var slots: [Key: Slots] = [:]
        var nextWaiterID: UInt64 = 0
        /// Waiters given an id but not queued yet.
        var unqueued: Set<UInt64> = []
        /// Waiters whose wait ended (cancelled, timed out) before they were queued, with the error to end it with.
        var endedEarly: [UInt64: any Error] = [:]
    }

    /// The most holders of one key at once.
    public let limit: Int
    private let state = Mutex(State())

    /// A semaphore allowing `limit` (at least 1) holders per key.
    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes one of `key`'s slots, waiting for one to be released when all are taken, for at most `wait` (nil: no
    /// bound). A slot is either granted or the wait ends, never both: nothing leaks at the bound.
    /// - Throws: ``TimeoutError`` past `wait`; `CancellationError` when the waiting task is cancelled.
    public func acquire(_ key: Key, within wait: Duration?) async throws {
        let waiterID: UInt64? = state.withLock { state in
            if state.slots[key, default: Slots()].inUse < limit {
                state.slots[key, default: Slots()].inUse += 1
                return nil
            }
            state.nextWaiterID += 1
            state.unqueued.insert(state.nextWaiterID)
            return state.nextWaiterID
        }
        guard let waiterID else { return }
        let timer = wait.map { wait in
            MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .init(wait)) {
                self.abandon(key, waiterID, with: TimeoutError(limit: wait))
            }
        }
        defer { timer?.cancel() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ended: (any Error)? = state.withLock { state in
                    state.unqueued.remove(waiterID)
                    if let error = state.endedEarly.removeValue(forKey: waiterID) { return error }
                    state.slots[key, default: Slots()].waiters.append(Waiter(id: waiterID, continuation: continuation))
                    return nil
                }
                if let ended { continuation.resume(throwing: ended) }
            }
        } onCancel: {
            abandon(key, waiterID, with: CancellationError())
        }
    }

    /// Takes one of `key`'s slots, waiting for one to be released when all are taken.
    /// - Throws: `CancellationError` when the waiting task is cancelled.
    public func acquire(_ key: Key) async throws {
        try await acquire(key, within: nil)
    }

    /// Ends the wait of waiter `id` with `error`, unless it was granted a slot already.
    private func abandon(_ key: Key, _ id: UInt64, with error: any Error) {
        let waiter: Waiter? = state.withLock { state in
            if let index = state.slots[key]?.waiters.firstIndex(where: { $0.id == id }) {
                return state.slots[key]?.waiters.remove(at: index)
            }
            // Not queued yet: it ends as soon as it is. Otherwise it was granted a slot already: nothing to end.
            if state.unqueued.contains(id) { state.endedEarly[id] = error }
            return nil
        }
        waiter?.continuation.resume(throwing: error)
    }

    /// Gives back a slot taken by ``acquire(_:)``: to the key's next waiter, if any.
    public func release(_ key: Key) {
        let next: Waiter? = state.withLock { state in
            guard var slots = state.slots[key] else { return nil }
            if slots.waiters.isEmpty {
                slots.inUse -= 1
                state.slots[key] = slots.inUse > 0 ? slots : nil
                return nil
            }
            let waiter = slots.waiters.removeFirst()
            state.slots[key] = slots
            return waiter
        }
        next?.continuation.resume()
    }
}
