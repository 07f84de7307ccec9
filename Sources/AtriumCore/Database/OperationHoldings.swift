import Synchronization

/// What one database operation holds while it runs (its workspace's connection share, its place in the count of
/// held connections), given back exactly once: when the operation ends, or when its caller is answered at a bound,
/// whichever comes first.
///
/// An operation answered at a bound is cancelled and left to end on its own. If it never ends (a lease or statement
/// that postgres-nio never completes after PostgreSQL restarts), it must not keep its workspace's share taken (after
/// a few such operations, every request of that workspace would wait out its lease bound forever) nor count as a held
/// connection (the pool would look busy, not stuck, and never be replaced). Something taken after the holdings were
/// given back is given back at once.
final class OperationHoldings: Sendable {
    private struct State {
        var releases: [@Sendable () -> Void] = []
        var givenBack = false
    }

    private let state = Mutex(State())

    /// Records that the operation took something, with how to give it back. Returns false, having given it back
    /// already, when the holdings were given back before: the operation's caller was answered, so it must stop.
    func took(_ release: @escaping @Sendable () -> Void) -> Bool {
        let kept = state.withLock { state in
            guard !state.givenBack else { return false }
            state.releases.append(release)
            return true
        }
        if !kept { release() }
        return kept
    }

    /// Gives back everything taken so far, once; later calls do nothing.
    func giveBack() {
        let releases = state.withLock { state in
            guard !state.givenBack else { return [@Sendable () -> Void]() }
            state.givenBack = true
            defer { state.releases = [] }
            return state.releases
        }
        for release in releases.reversed() { release() }
    }
}
