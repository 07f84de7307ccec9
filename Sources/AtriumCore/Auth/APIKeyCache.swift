import Foundation
import Synchronization

/// The in-process cache of API key lookups, so the request path does not query PostgreSQL on every request.
///
/// Coherence rule: an entry is trusted for at most ``ttl`` (1 s by default) after it was read from PostgreSQL.
/// A change made through this process (revoke, create) invalidates its entry at once; a change made by another
/// process takes effect here within the TTL. Misses (no such key) are cached too, which bounds the load a stream of
/// well-signed tokens for deleted keys can put on PostgreSQL.
///
/// A read that started before an invalidation is not stored (see ``generation``), so a request racing a local revoke
/// cannot put the pre-revoke row back.
///
/// The cache holds at most ``capacity`` entries: when full, stale entries are dropped first, then the oldest.
final class APIKeyCache: Sendable {
    struct Entry: Sendable {
        let lookup: APIKeyStore.Lookup?
        let storedAt: ContinuousClock.Instant
    }

    let capacity: Int
    let ttl: Duration
    private let state = Mutex(State())

    private struct State {
        var entries: [UUID: Entry] = [:]
        var generation: UInt64 = 0
    }

    init(capacity: Int, ttl: Duration) {
        self.capacity = max(capacity, 1)
        self.ttl = ttl
    }

    /// The fresh entry for `id`, or nil when there is none (a cached miss is an entry whose lookup is nil).
    func entry(_ id: UUID, now: ContinuousClock.Instant = .now) -> Entry? {
        state.withLock { state in
            guard let entry = state.entries[id] else { return nil }
            guard entry.storedAt.duration(to: now) < ttl else {
                state.entries[id] = nil
                return nil
            }
            return entry
        }
    }

    /// The invalidation counter; read it before querying PostgreSQL and pass it to ``store(_:for:readAt:now:)``.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Stores what PostgreSQL said about `id`, unless an invalidation happened since `generation` was read.
    func store(_ lookup: APIKeyStore.Lookup?, for id: UUID, readAt generation: UInt64, now: ContinuousClock.Instant = .now) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries[id] == nil, state.entries.count >= capacity {
                state.entries = state.entries.filter { $0.value.storedAt.duration(to: now) < ttl }
                if state.entries.count >= capacity,
                   let oldest = state.entries.min(by: { $0.value.storedAt < $1.value.storedAt })?.key {
                    state.entries[oldest] = nil
                }
            }
            state.entries[id] = Entry(lookup: lookup, storedAt: now)
        }
    }

    /// Forgets `id`, so the next lookup reads PostgreSQL.
    func invalidate(_ id: UUID) {
        state.withLock { state in
            state.generation &+= 1
            state.entries[id] = nil
        }
    }

    /// The number of entries, stale ones included.
    var count: Int { state.withLock { $0.entries.count } }
}
