import NIOCore
import NIOPosix
import Synchronization

/// A counting semaphore per key: at most ``limit`` holders per key at once, the others waiting first come first
/// served. Keys are independent: one key at its limit holds nobody else up.
///
/// Atrium keys it by workspace, for the pool's connections (`PG_POOL_MAX_CONNECTIONS_PER_WORKSPACE`, in ``Database``)
/// and for requests in flight (`WORKSPACE_MAX_CONCURRENT_REQUESTS`, at the HTTP edge), so one tenant's burst cannot
/// take what the others need. The wait is cancellable, and can be bounded (`acquire(_:within:)`).
///
/// Bounded waits share one sweeper rather than a timer each: scheduling a timer on an event loop from another thread
/// wakes that loop twice (to arm it and to cancel it), which cost findOne at 16 connections of one workspace about 5%
/// of the server's CPU when half its requests waited here. The sweeper runs every ``sweepInterval`` while a bounded
/// waiter is queued, so a wait ends at most that much past its bound.
///
/// ```swift
/// try await semaphore.acquire(workspace)
/// defer { semaphore.release(workspace) }
/// ```
public final class KeyedSemaphore<Key: Hashable & Sendable>: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
        /// When the wait ends unless granted a slot first, with the bound it came from; nil: no bound.
        let deadline: (at: NIODeadline, limit: Duration)?
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
        /// Waiters whose wait ended (cancelled) before they were queued, with the error to end it with.
        var endedEarly: [UInt64: any Error] = [:]
        /// Queued waiters with a deadline.
        var boundedWaiters = 0
        /// Whether a sweep is scheduled.
        var sweeping = false

        /// Takes waiter `index` out of `key`'s queue, keeping the count of bounded waiters.
        mutating func remove(_ key: Key, at index: Int) -> Waiter {
            let waiter = slots[key]!.waiters.remove(at: index)
            if waiter.deadline != nil { boundedWaiters -= 1 }
            return waiter
        }
    }

    /// How often queued bounded waits are checked against their deadlines.
    static var sweepInterval: Duration { .milliseconds(10) }

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
        let deadline = wait.map { (at: NIODeadline.now() + .init($0), limit: $0) }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (ended, startSweeper): ((any Error)?, Bool) = state.withLock { state in
                    state.unqueued.remove(waiterID)
                    if let error = state.endedEarly.removeValue(forKey: waiterID) { return (error, false) }
                    let waiter = Waiter(id: waiterID, continuation: continuation, deadline: deadline)
                    state.slots[key, default: Slots()].waiters.append(waiter)
                    guard deadline != nil else { return (nil, false) }
                    state.boundedWaiters += 1
                    defer { state.sweeping = true }
                    return (nil, !state.sweeping)
                }
                if let ended { continuation.resume(throwing: ended) }
                if startSweeper { scheduleSweep() }
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
                return state.remove(key, at: index)
            }
            // Not queued yet: it ends as soon as it is. Otherwise it was granted a slot already: nothing to end.
            if state.unqueued.contains(id) { state.endedEarly[id] = error }
            return nil
        }
        waiter?.continuation.resume(throwing: error)
    }

    private func scheduleSweep() {
        MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .init(Self.sweepInterval)) { self.sweep() }
    }

    /// Ends the queued waits past their deadline with ``TimeoutError``; schedules the next sweep while bounded
    /// waiters remain.
    private func sweep() {
        let now = NIODeadline.now()
        let (expired, again): ([Waiter], Bool) = state.withLock { state in
            var expired: [Waiter] = []
            for key in Array(state.slots.keys) {
                while let index = state.slots[key]?.waiters.firstIndex(where: { ($0.deadline?.at ?? .distantFuture) <= now }) {
                    expired.append(state.remove(key, at: index))
                }
            }
            state.sweeping = state.boundedWaiters > 0
            return (expired, state.sweeping)
        }
        for waiter in expired {
            waiter.continuation.resume(throwing: TimeoutError(limit: waiter.deadline?.limit ?? .zero))
        }
        if again { scheduleSweep() }
    }

    /// Gives back a slot taken by ``acquire(_:)``: to the key's next waiter, if any.
    public func release(_ key: Key) {
        let next: Waiter? = state.withLock { state in
            guard let noneWaiting = state.slots[key]?.waiters.isEmpty else { return nil }
            guard noneWaiting else { return state.remove(key, at: 0) }
            if state.slots[key]!.inUse > 1 { state.slots[key]!.inUse -= 1 } else { state.slots[key] = nil }
            return nil
        }
        next?.continuation.resume()
    }
}
