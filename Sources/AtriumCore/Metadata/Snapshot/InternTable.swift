import Synchronization

/// A process-wide table that hands out one shared instance per distinct value, so identical metadata (the standard
/// objects of thousands of workspaces) is held once.
///
/// Entries are weak: a shape no cached workspace uses any more is freed, and its entry is purged on a later insert.
final class InternTable<Key: Hashable & Sendable, Value: AnyObject & Sendable>: Sendable {
    private struct WeakValue {
        weak var value: Value?
    }

    private struct State {
        var entries: [Key: WeakValue] = [:]
        var insertsSincePurge = 0
    }

    private let state = Mutex(State())

    /// The shared instance for `key`, made by `make` if there is none alive.
    func intern(_ key: Key, make: (Key) -> Value) -> Value {
        if let existing = state.withLock({ $0.entries[key]?.value }) { return existing }
        let made = make(key)
        return state.withLock { state in
            if let existing = state.entries[key]?.value { return existing }
            state.entries[key] = WeakValue(value: made)
            state.insertsSincePurge += 1
            if state.insertsSincePurge > max(1024, state.entries.count) {
                state.entries = state.entries.filter { $0.value.value != nil }
                state.insertsSincePurge = 0
            }
            return made
        }
    }

    /// How many entries are alive (for tests and benchmarks).
    var liveCount: Int {
        state.withLock { $0.entries.values.reduce(0) { $0 + ($1.value == nil ? 0 : 1) } }
    }
}
