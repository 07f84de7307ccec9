import Foundation
import Synchronization

/// The in-process cache of API key lookups, so the request path does not query PostgreSQL on every request.
///
/// Coherence rule: an entry is trusted for at most ``ttl`` (1 s by default) after it was read from PostgreSQL, or
/// ``announcedTTL`` (10 s) when it was read during the current stretch of complete reception: every revocation and
/// workspace status announcement made since reaches this process (``announcements(_:)``). A change made through this process (revoke, create) invalidates its entry at once; one
/// announced by another process as soon as the announcement arrives; anything else within the TTL. Misses (no such key) are cached too, which bounds the load a stream of
/// well-signed tokens for deleted keys can put on PostgreSQL.
///
/// A read that started before an invalidation is not stored (its generation is older), so a request racing a local revoke
/// cannot put the pre-revoke row back.
///
/// The cache holds at most ``capacity`` entries: when full, stale entries are dropped first, then the oldest.
///
/// A shared read is bounded by ``readLimit``: every caller stops waiting for it at the limit (a 503 at the edge), and
/// a read older than the limit is never joined, so the next caller reads afresh. One read stuck in a broken pool cannot
/// lock a key out until the process restarts.
final class APIKeyCache: Sendable {
    struct Entry: Sendable {
        let lookup: APIKeyStore.Lookup?
        let storedAt: ContinuousClock.Instant
        /// The stretch of complete announcement reception its read began in; nil when announcements could be missed.
        let stretch: UInt64?
    }

    let capacity: Int
    let ttl: Duration
    /// The longest a caller waits for a read of a key, and the age past which a read is no longer shared.
    let readLimit: Duration
    /// How long an entry is trusted while every announcement reaches this process.
    let announcedTTL: Duration
    /// What ``ttl`` and ``readLimit`` are measured on.
    let time: TimeSource
    private let state = Mutex(State())

    private struct State {
        var entries: [UUID: Entry] = [:]
        var generation: UInt64 = 0
        /// The read under way per key, shared by concurrent callers.
        var inFlight: [UUID: Flight] = [:]
        /// The current stretch of complete announcement reception; nil while announcements may be missed.
        var announcedStretch: UInt64?
    }

    /// A read of one key from PostgreSQL, started at invalidation `generation`.
    private struct Flight {
        let generation: UInt64
        let startedAt: ContinuousClock.Instant
        let task: Task<APIKeyStore.Lookup?, any Error>
    }

    init(capacity: Int, ttl: Duration, announcedTTL: Duration? = nil, readLimit: Duration = .seconds(5), time: TimeSource = .system) {
        self.capacity = max(capacity, 1)
        self.ttl = ttl
        self.announcedTTL = max(ttl, announcedTTL ?? .seconds(10))
        self.readLimit = readLimit
        self.time = time
    }

    /// The fresh entry for `id`, or what `read` finds (stored for the next callers). Concurrent callers that miss
    /// share one read, so a burst of requests with one key makes one query when its entry expires, not one each; a
    /// read started before an invalidation is not shared with callers that come after it.
    func lookup(_ id: UUID, read: @escaping @Sendable () async throws -> APIKeyStore.Lookup?) async throws -> APIKeyStore.Lookup? {
        enum Step {
            case cached(APIKeyStore.Lookup?)
            case join(Task<APIKeyStore.Lookup?, any Error>)
            case lead(Task<APIKeyStore.Lookup?, any Error>, generation: UInt64, stretch: UInt64?)
        }
        let now = time.now
        let step: Step = state.withLock { state in
            if let entry = state.entries[id], entry.storedAt.duration(to: now) < trust(entry, state) { return .cached(entry.lookup) }
            if let flight = state.inFlight[id], flight.generation == state.generation, flight.startedAt.duration(to: now) < readLimit {
                return .join(flight.task)
            }
            let task = Task { try await read() }
            state.inFlight[id] = Flight(generation: state.generation, startedAt: now, task: task)
            return .lead(task, generation: state.generation, stretch: state.announcedStretch)
        }
        switch step {
        case .cached(let lookup):
            return lookup
        case .join(let task):
            return try await Self.bounded(task, readLimit)
        case .lead(let task, let generation, let stretch):
            defer { state.withLock { if $0.inFlight[id]?.task == task { $0.inFlight[id] = nil } } }
            let lookup = try await Self.bounded(task, readLimit)
            store(lookup, for: id, readAt: generation, stretch: stretch)
            return lookup
        }
    }

    /// The read's value, or a 503 once `limit` has passed.
    private static func bounded(_ task: Task<APIKeyStore.Lookup?, any Error>, _ limit: Duration) async throws -> APIKeyStore.Lookup? {
        do {
            return try await value(of: task, within: limit)
        } catch let timeout as TimeoutError {
            throw AtriumError(.unavailable, "The API key could not be checked in time; retry shortly", underlying: timeout)
        }
    }

    /// Stores what PostgreSQL said about `id`, unless an invalidation happened since `generation` was read. The read
    /// began in announcement stretch `stretch`.
    private func store(_ lookup: APIKeyStore.Lookup?, for id: UUID, readAt generation: UInt64, stretch: UInt64?) {
        let now = time.now
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries[id] == nil, state.entries.count >= capacity {
                state.entries = state.entries.filter { $0.value.storedAt.duration(to: now) < trust($0.value, state) }
                if state.entries.count >= capacity,
                   let oldest = state.entries.min(by: { $0.value.storedAt < $1.value.storedAt })?.key {
                    state.entries[oldest] = nil
                }
            }
            state.entries[id] = Entry(lookup: lookup, storedAt: now, stretch: stretch)
        }
    }

    /// How long `entry` is trusted now: ``announcedTTL`` when its read began in the current stretch of complete
    /// reception (every change announced since has reached this process), else ``ttl``.
    private func trust(_ entry: Entry, _ state: State) -> Duration {
        if let stretch = entry.stretch, stretch == state.announcedStretch { return announcedTTL }
        return ttl
    }

    /// Tells the cache whether every announcement reaches this process: `stretch` is the current stretch of complete
    /// reception (``AnnouncementReception``), or nil. Entries read during the current stretch are trusted for
    /// ``announcedTTL``; the others (read before it began, when announcements may have been missed) for ``ttl``.
    func announcements(_ stretch: UInt64?) {
        state.withLock { $0.announcedStretch = stretch }
    }

    /// Forgets `id`, so the next lookup reads PostgreSQL.
    func invalidate(_ id: UUID) {
        state.withLock { state in
            state.generation &+= 1
            state.entries[id] = nil
        }
    }

    /// Forgets every key of `workspace` (its activation status changed), so their next lookups read PostgreSQL.
    func invalidate(workspace: UUID) {
        state.withLock { state in
            state.generation &+= 1
            state.entries = state.entries.filter { $0.value.lookup?.key.workspaceID != workspace }
        }
    }

    /// The number of entries, stale ones included.
    var count: Int { state.withLock { $0.entries.count } }
}
