import Synchronization

/// A process-wide table that hands out one shared instance per distinct value, so identical metadata (the standard
/// objects of thousands of workspaces) is held once.
///
/// The table holds its values weakly and keys them by hash only (keys are read back from the live values), so it
/// keeps nothing alive: a shape no cached workspace uses any more is freed, and its slot is purged on a later insert.
final class InternTable<Key: Hashable & Sendable, Value: AnyObject & Sendable>: Sendable {
    private struct WeakValue {
        weak var value: Value?
    }

    private struct State {
        var buckets: [Int: [WeakValue]] = [:]
        var insertsSincePurge = 0
    }

    private let state = Mutex(State())
    private let keyOf: @Sendable (Value) -> Key

    /// - Parameter keyOf: The key of a value (what it is interned by).
    init(keyOf: @escaping @Sendable (Value) -> Key) {
        self.keyOf = keyOf
    }

    /// The shared instance for `key`, made by `make` if there is none alive.
    func intern(_ key: Key, make: (Key) -> Value) -> Value {
        if let existing = find(key) { return existing }
        let made = make(key)
        let hash = key.hashValue
        return state.withLock { state in
            if let existing = Self.find(key, hash: hash, in: state, keyOf: keyOf) { return existing }
            state.buckets[hash, default: []].append(WeakValue(value: made))
            state.insertsSincePurge += 1
            if state.insertsSincePurge > max(1024, state.buckets.count) {
                state.buckets = state.buckets.compactMapValues { bucket in
                    let live = bucket.filter { $0.value != nil }
                    return live.isEmpty ? nil : live
                }
                state.insertsSincePurge = 0
            }
            return made
        }
    }

    /// The instance for `key`, if one is alive.
    func find(_ key: Key) -> Value? {
        let hash = key.hashValue
        return state.withLock { Self.find(key, hash: hash, in: $0, keyOf: keyOf) }
    }

    private static func find(_ key: Key, hash: Int, in state: State, keyOf: (Value) -> Key) -> Value? {
        for entry in state.buckets[hash] ?? [] {
            if let value = entry.value, keyOf(value) == key { return value }
        }
        return nil
    }

    /// How many entries are alive (for tests and benchmarks).
    var liveCount: Int {
        state.withLock { $0.buckets.values.reduce(0) { $0 + $1.reduce(0) { $0 + ($1.value == nil ? 0 : 1) } } }
    }
}
