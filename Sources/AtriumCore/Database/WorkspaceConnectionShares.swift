import Foundation
import Synchronization

/// How many pooled connections each workspace may hold at once (`PG_POOL_MAX_CONNECTIONS_PER_WORKSPACE`).
///
/// A workspace at its share waits, first come first served, for one of its own operations to finish; other
/// workspaces are not held up by it. The wait is cancellable, so the lease bound of ``Database`` covers it.
final class WorkspaceConnectionShares: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Share {
        var inUse = 0
        var waiters: [Waiter] = []
    }

    private struct State {
        var shares: [UUID: Share] = [:]
        var nextWaiterID: UInt64 = 0
        /// Waiters whose cancellation arrived before they were queued.
        var cancelledEarly: Set<UInt64> = []
    }

    /// The most connections one workspace holds at once.
    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes one of `workspace`'s connection slots, waiting for one to be released when all are taken.
    /// - Throws: `CancellationError` when the waiting task is cancelled.
    func acquire(_ workspace: UUID) async throws {
        let waiterID: UInt64? = state.withLock { state in
            if state.shares[workspace, default: Share()].inUse < limit {
                state.shares[workspace, default: Share()].inUse += 1
                return nil
            }
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        guard let waiterID else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state in
                    if state.cancelledEarly.remove(waiterID) != nil { return true }
                    state.shares[workspace, default: Share()].waiters.append(Waiter(id: waiterID, continuation: continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter: Waiter? = state.withLock { state in
                if let index = state.shares[workspace]?.waiters.firstIndex(where: { $0.id == waiterID }) {
                    return state.shares[workspace]?.waiters.remove(at: index)
                }
                state.cancelledEarly.insert(waiterID)
                return nil
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Gives back a slot taken by ``acquire(_:)``: to the workspace's next waiter, if any.
    func release(_ workspace: UUID) {
        let next: Waiter? = state.withLock { state in
            guard var share = state.shares[workspace] else { return nil }
            if share.waiters.isEmpty {
                share.inUse -= 1
                state.shares[workspace] = share.inUse > 0 ? share : nil
                return nil
            }
            let waiter = share.waiters.removeFirst()
            state.shares[workspace] = share
            return waiter
        }
        next?.continuation.resume()
    }
}
