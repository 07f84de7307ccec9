import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Workspace metadata snapshots, cached in three layers: in-process (bounded, least recently used out) → the shared
/// store (Redis) → PostgreSQL (one query, written back to the shared store).
///
/// A cached snapshot checked less than `revalidationInterval` ago is returned without any round trip. Older ones are
/// checked against the version key in the shared store (one `GET`), or against `core.workspace` when the store is
/// unreachable. Changes are announced on ``CacheKey/metadataInvalidations``; ``WorkspaceSchemaInvalidationService``
/// drops what they make stale, and the revalidation interval covers missed announcements. While the service receives
/// every announcement (subscribed, on a connection unbroken since), a snapshot is trusted for the longer
/// `announcedRevalidationInterval`, so a process serving many workspaces does not ask Redis about each every 250 ms;
/// when reception starts again after a break, every snapshot is checked on its next use. An unreachable store must
/// fail at once (the Redis client's circuit does), so that during an outage a change made through any process reaches
/// every other within the interval plus one PostgreSQL read.
///
/// ```swift
/// let cache = WorkspaceSchemaCache(database: database, store: RedisMetadataStore(redis), logger: logger)
/// app.addServices(WorkspaceSchemaInvalidationService(cache: cache))
/// let schema = try await cache.schema(for: workspaceID, logger: logger)
/// let (_, updated) = try await cache.change(workspaceID, logger: logger) { connection in
///     try await connection.query(#"UPDATE core."fieldMetadata" SET "label" = 'Name' WHERE …"#, logger: logger)
/// }
/// ```
public final class WorkspaceSchemaCache: Sendable {
    /// Tuning of a ``WorkspaceSchemaCache``.
    public struct Configuration: Sendable {
        /// The most workspaces kept in process.
        public var capacity = 10_000
        /// How long a snapshot is served without asking the shared store whether it is still current.
        public var revalidationInterval: Duration = .milliseconds(250)
        /// The same while every metadata announcement reaches this process (``announcements(_:)``): the announcements
        /// then make a snapshot stale as soon as it is, and the check only covers a store that delivered nothing.
        public var announcedRevalidationInterval: Duration = .seconds(10)
        /// How long snapshots live in the shared store.
        public var sharedExpiration: Duration = .seconds(7 * 24 * 3600)

        public init() {}
    }

    struct Entry {
        var schema: WorkspaceSchema
        /// When the snapshot was last known current; `nil` forces a check on next use.
        var checkedAt: ContinuousClock.Instant?
        var lastUsed: UInt64
    }

    struct State {
        var entries: [UUID: Entry] = [:]
        var tick: UInt64 = 0
        /// Incremented by every invalidation, so a load that raced one is not trusted as current.
        var generation: UInt64 = 0
        /// Versions whose announcement failed (the shared store was down), retried by the service.
        var unannounced: [UUID: Int] = [:]
        var sharedStoreDown = false
        /// The stretch of complete announcement reception the entries are trusted under; nil while announcements
        /// may be missed (``announcements(_:)``).
        var announcedStretch: UInt64?
        /// Object shapes this process wrote to the shared store, and when (rewritten hourly, well within their expiry).
        var sharedShapes: [ShapeDigest: ContinuousClock.Instant] = [:]
        /// The check (or load) under way per workspace, shared by concurrent callers.
        var inFlight: [UUID: Flight] = [:]
    }

    /// A check of one workspace's snapshot, started at invalidation `generation`.
    struct Flight {
        let generation: UInt64
        let task: Task<WorkspaceSchema, any Error>
    }

    /// The tuning in use.
    public let configuration: Configuration
    let loader: WorkspaceSchemaLoader
    let database: Database
    let store: (any MetadataSharedStore)?
    let logger: Logger
    /// What the revalidation interval is measured on.
    let time: TimeSource
    let state = Mutex(State())

    /// - Parameters:
    ///   - database: Where metadata is read from when no cache has it.
    ///   - store: The shared cache; `nil` for a process-local cache validated against PostgreSQL.
    ///   - configuration: Capacity and intervals.
    ///   - logger: For shared-store outages and recoveries.
    ///   - time: What intervals are measured on (the system's, but in tests).
    public init(database: Database, store: (any MetadataSharedStore)?, configuration: Configuration = .init(), logger: Logger,
                time: TimeSource = .system) {
        self.time = time
        self.database = database
        self.loader = WorkspaceSchemaLoader(database: database)
        self.store = store
        self.configuration = configuration
        self.logger = logger
    }

    // MARK: - Reading

    /// The current snapshot of `workspace`.
    /// - Throws: ``AtriumError`` `.notFound` when there is no such workspace; PostgreSQL errors when it must be read and
    ///   cannot be.
    ///
    /// Concurrent callers that find the same snapshot missing or due for a check share one check (and one load): a
    /// burst of requests on a cold or revalidating workspace makes one round trip, not one each.
    public func schema(for workspace: UUID, logger: Logger) async throws -> WorkspaceSchema {
        let now = time.now
        let lookup: Lookup = state.withLock { state in
            let interval = state.announcedStretch == nil ? configuration.revalidationInterval : configuration.announcedRevalidationInterval
            var cached: WorkspaceSchema?
            if let entry = state.entries[workspace] {
                state.tick &+= 1
                state.entries[workspace]?.lastUsed = state.tick
                if let checkedAt = entry.checkedAt, checkedAt.duration(to: now) < interval { return .fresh(entry.schema) }
                cached = entry.schema
            }
            // A check started before the latest invalidation may return what it made stale: only a newer one is shared.
            if let flight = state.inFlight[workspace], flight.generation == state.generation { return .join(flight.task) }
            let task = Task { try await self.revalidate(workspace, cached: cached, logger: logger) }
            state.inFlight[workspace] = Flight(generation: state.generation, task: task)
            return .lead(task)
        }
        switch lookup {
        case .fresh(let schema):
            return schema
        case .join(let task):
            return try await task.value
        case .lead(let task):
            defer { state.withLock { if $0.inFlight[workspace]?.task == task { $0.inFlight[workspace] = nil } } }
            return try await task.value
        }
    }

    /// The snapshot PostgreSQL has now, for a request whose statement, built from `stale`, met a data model that had
    /// changed under it; `nil` when PostgreSQL's version is still `stale`'s (the failure was something else). Asks
    /// PostgreSQL rather than the shared store: the change is committed there before it is announced.
    public func newer(than stale: WorkspaceSchema, logger: Logger) async throws -> WorkspaceSchema? {
        let workspace = stale.workspaceID
        let generation = state.withLock { $0.generation }
        guard try await loader.currentVersion(workspace, logger: logger) != stale.metadataVersion else { return nil }
        let schema = try await loadFromDatabase(workspace, logger: logger)
        keep(schema, generation: generation)
        return schema
    }

    /// What ``schema(for:logger:)`` found in process.
    private enum Lookup {
        case fresh(WorkspaceSchema)
        /// Another caller's check is under way.
        case join(Task<WorkspaceSchema, any Error>)
        /// This caller started the check.
        case lead(Task<WorkspaceSchema, any Error>)
    }

    /// The number of workspaces held in process.
    public var count: Int { state.withLock { $0.entries.count } }

    /// Checks `cached` (or finds a snapshot) through the shared store, then PostgreSQL.
    private func revalidate(_ workspace: UUID, cached: WorkspaceSchema?, logger: Logger) async throws -> WorkspaceSchema {
        let generation = state.withLock { $0.generation }
        if let store {
            if let outcome = await viaSharedStore(store, workspace, cached: cached, generation: generation, logger: logger) {
                return outcome
            }
        }
        // No shared store, or it failed: PostgreSQL decides.
        if let cached, try await loader.currentVersion(workspace, logger: logger) == cached.metadataVersion {
            markChecked(workspace, version: cached.metadataVersion, generation: generation)
            return cached
        }
        let schema = try await loadFromDatabase(workspace, logger: logger)
        keep(schema, generation: generation)
        return schema
    }

    /// The snapshot found through the shared store, or `nil` if the store failed.
    private func viaSharedStore(
        _ store: any MetadataSharedStore, _ workspace: UUID, cached: WorkspaceSchema?, generation: UInt64, logger: Logger
    ) async -> WorkspaceSchema? {
        let versionKey = CacheKey.metadataVersion(workspace)
        guard let versionBytes = await shared({ try await store.get(versionKey) }) else { return nil }
        let sharedVersion = versionBytes.flatMap { Int(String(decoding: $0, as: UTF8.self)) }
        if let cached, let sharedVersion, sharedVersion <= cached.metadataVersion {
            if sharedVersion < cached.metadataVersion {
                // The store missed a change (it was down when it was announced): repair it.
                _ = await shared { try await store.raise(versionKey, to: cached.metadataVersion, expiration: nil) }
            }
            markChecked(workspace, version: cached.metadataVersion, generation: generation)
            return cached
        }
        if let sharedVersion,
           let bytes = await shared({ try await store.get(CacheKey.metadata(workspace, version: sharedVersion)) }) ?? nil {
            do {
                if let schema = try await decodeShared(bytes, store: store) {
                    keep(schema, generation: generation)
                    return schema
                }
            } catch {
                logger.warning("Unreadable metadata snapshot in the shared cache, rebuilding it",
                               metadata: ["workspace": "\(workspace)", "error": "\(error)"])
            }
        }
        // Nothing usable shared (or no version yet): rebuild from PostgreSQL and share it.
        do {
            let schema = try await loadFromDatabase(workspace, logger: logger)
            keep(schema, generation: generation)
            await share(schema, announce: false)
            return schema
        } catch {
            return nil  // PostgreSQL's error surfaces from the fallback path.
        }
    }

    /// Decodes a shared snapshot, fetching the object shapes this process does not hold; `nil` if some are gone.
    private func decodeShared(_ bytes: [UInt8], store: any MetadataSharedStore) async throws -> WorkspaceSchema? {
        switch try WorkspaceSchema.decodeReference(bytes) {
        case .schema(let schema):
            return schema
        case .missingShapes(let digests):
            var held: [ObjectShape] = []  // keeps fetched shapes alive until the snapshot holds them
            for digest in digests {
                guard let record = try await store.get(CacheKey.metadataObjectShape(digest.hex)) else { return nil }
                held.append(try ObjectShape.interned(record: record))
            }
            return try withExtendedLifetime(held) {
                if case .schema(let schema) = try WorkspaceSchema.decodeReference(bytes) { return schema }
                return nil
            }
        }
    }

    private func loadFromDatabase(_ workspace: UUID, logger: Logger) async throws -> WorkspaceSchema {
        guard let schema = try await loader.load(workspace, logger: logger) else {
            throw AtriumError(.notFound, "There is no workspace \(workspace)")
        }
        return schema
    }

    // MARK: - Changing

    /// Runs `body` and bumps the metadata version in one transaction, then caches, shares and announces the new snapshot.
    /// - Returns: What `body` returned, and the snapshot after the change.
    public func change<Result: Sendable>(
        _ workspace: UUID, logger: Logger, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> (Result, WorkspaceSchema) {
        // Metadata DDL runs under the DDL bound (PG_DDL_STATEMENT_TIMEOUT_MS), not the request bound.
        let (result, schema) = try await database.withTransaction(logger: logger, statementTimeout: database.settings.ddlStatementTimeout) { connection in
            let result = try await body(connection)
            _ = try await WorkspaceMetadataVersion.bump(workspace, on: connection, logger: logger)
            guard let schema = try await WorkspaceSchemaLoader.load(workspace, on: connection, logger: logger) else {
                throw AtriumError(.notFound, "There is no workspace \(workspace)")
            }
            return (result, schema)
        }
        await didCommit(schema)
        return (result, schema)
    }

    /// After a transaction that changed metadata and bumped the version (``WorkspaceMetadataVersion/bump(_:on:logger:)``)
    /// has committed: caches `schema`, writes it to the shared store, and announces it to every process.
    /// If the shared store is down the announcement is retried by ``WorkspaceSchemaInvalidationService``.
    public func didCommit(_ schema: WorkspaceSchema) async {
        let generation = state.withLock { $0.generation }
        keep(schema, generation: generation)
        await share(schema, announce: true)
    }

    /// Writes `schema` and raises the version key; with `announce`, publishes the change.
    private func share(_ schema: WorkspaceSchema, announce: Bool) async {
        guard let store else { return }
        let workspace = schema.workspaceID
        let version = schema.metadataVersion
        let expiration = configuration.sharedExpiration
        let now = time.now
        let shapes = state.withLock { state in
            schema.objectShapeRecords.filter { shape in
                guard let written = state.sharedShapes[shape.digest], written.duration(to: now) < .seconds(3600) else { return true }
                return false
            }
        }
        let done: Void? = await shared {
            for shape in shapes {
                try await store.set(CacheKey.metadataObjectShape(shape.digest.hex), to: shape.record, expiration: expiration)
            }
            state.withLock { state in for shape in shapes { state.sharedShapes[shape.digest] = now } }
            try await store.set(CacheKey.metadata(workspace, version: version), to: schema.referenceEncoded(), expiration: expiration)
            try await store.raise(CacheKey.metadataVersion(workspace), to: version, expiration: nil)
            if announce {
                try await store.publish(MetadataInvalidation(workspace: workspace, version: version).payload, to: CacheKey.metadataInvalidations)
            }
        }
        if done == nil, announce {
            state.withLock { $0.unannounced[workspace] = max($0.unannounced[workspace] ?? 0, version) }
        }
    }

    /// Retries announcements that failed while the shared store was down.
    func announcePending() async {
        guard let store else { return }
        let pending = state.withLock { $0.unannounced }
        for (workspace, version) in pending {
            let done: Void? = await shared {
                try await store.raise(CacheKey.metadataVersion(workspace), to: version, expiration: nil)
                try await store.publish(MetadataInvalidation(workspace: workspace, version: version).payload, to: CacheKey.metadataInvalidations)
            }
            if done != nil {
                state.withLock { if $0.unannounced[workspace] == version { $0.unannounced[workspace] = nil } }
            }
        }
    }

    // MARK: - Invalidation

    /// Drops the snapshot of `invalidation.workspace` if it is older than `invalidation.version`.
    public func invalidate(_ invalidation: MetadataInvalidation) {
        state.withLock { state in
            state.generation &+= 1
            if let entry = state.entries[invalidation.workspace], entry.schema.metadataVersion < invalidation.version {
                state.entries[invalidation.workspace] = nil
            }
        }
    }

    /// Tells the cache whether every metadata announcement reaches this process: `stretch` is the current stretch of
    /// complete reception (``AnnouncementReception``), or nil. While it is not nil, snapshots are checked after
    /// ``Configuration/announcedRevalidationInterval`` instead of ``Configuration/revalidationInterval``. When a new
    /// stretch begins, every snapshot is checked again on its next use: announcements may have been missed before it.
    public func announcements(_ stretch: UInt64?) {
        state.withLock { state in
            guard state.announcedStretch != stretch else { return }
            if stretch != nil {
                for workspace in state.entries.keys { state.entries[workspace]?.checkedAt = nil }
            }
            state.announcedStretch = stretch
        }
    }

    /// Drops every snapshot held in process.
    public func removeAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
        }
    }

    // MARK: - Local layer

    /// Stores `schema` unless a newer one is held. A load that raced an invalidation is kept but re-checked on next use.
    private func keep(_ schema: WorkspaceSchema, generation: UInt64) {
        let now = time.now
        let capacity = configuration.capacity
        state.withLock { state in
            if let existing = state.entries[schema.workspaceID], existing.schema.metadataVersion > schema.metadataVersion { return }
            state.tick &+= 1
            let current = state.generation == generation
            state.entries[schema.workspaceID] = Entry(schema: schema, checkedAt: current ? now : nil, lastUsed: state.tick)
            if state.entries.count > capacity {
                // Evict the least recently used tenth at once, so eviction's sort is paid rarely.
                let excess = state.entries.count - capacity * 9 / 10
                let victims = state.entries.sorted { $0.value.lastUsed < $1.value.lastUsed }.prefix(excess).map(\.key)
                for victim in victims { state.entries[victim] = nil }
            }
        }
    }

    private func markChecked(_ workspace: UUID, version: Int, generation: UInt64) {
        let now = time.now
        state.withLock { state in
            guard state.generation == generation, state.entries[workspace]?.schema.metadataVersion == version else { return }
            state.entries[workspace]?.checkedAt = now
        }
    }

    /// Runs a shared-store operation; `nil` if it failed (logged once per outage), so callers fall back to PostgreSQL.
    private func shared<T>(_ operation: () async throws -> T) async -> T? {
        do {
            let value = try await operation()
            if state.withLock({ state in defer { state.sharedStoreDown = false }; return state.sharedStoreDown }) {
                logger.notice("Shared metadata cache reachable again")
            }
            return value
        } catch {
            if !state.withLock({ state in defer { state.sharedStoreDown = true }; return state.sharedStoreDown }) {
                logger.warning("Shared metadata cache unreachable; serving metadata from process memory and PostgreSQL",
                               metadata: ["error": "\(String(reflecting: error))"])
            }
            return nil
        }
    }
}
