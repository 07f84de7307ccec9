import AtriumCore
import AtriumHTTP
import AtriumRedis
import AtriumTestSupport
import AtriumRedisAdapters
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite(.tags(.integration)) struct WorkspaceSchemaCacheTests {
    func configuration(interval: Duration) -> WorkspaceSchemaCache.Configuration {
        var configuration = WorkspaceSchemaCache.Configuration()
        configuration.revalidationInterval = interval
        return configuration
    }

    /// Renames the company `name` field's label through `cache`, as a metadata change would.
    static func relabel(_ bed: CacheTestBed, to label: String) -> @Sendable (PostgresConnection) async throws -> Void {
        let workspace = bed.workspace.id
        let logger = bed.logger
        return { connection in
            try await connection.query(#"""
                UPDATE core."fieldMetadata" f SET "label" = \#(label) FROM core."objectMetadata" o
                WHERE o."id" = f."objectMetadataId" AND o."workspaceId" = \#(workspace) AND o."nameSingular" = 'company' AND f."name" = 'name'
                """#, logger: logger)
        }
    }

    @Test func cachedFreshWorkspaceCostsNoRoundTrip() async throws {
        try await CacheTestBed.run { bed in
            let store = InstrumentedStore(RedisMetadataStore(redis: bed.redis[0]))
            let cache = WorkspaceSchemaCache(database: bed.database, store: store, configuration: configuration(interval: .seconds(30)),
                                             logger: bed.logger)
            let first = try await cache.schema(for: bed.workspace.id, logger: bed.logger)
            #expect(first.object(named: "company") != nil)
            let (queries, calls) = (bed.operations.count, store.callCount)
            #expect(queries == 1)  // the one statement that builds the snapshot
            for _ in 0..<1000 {
                let schema = try await cache.schema(for: bed.workspace.id, logger: bed.logger)
                #expect(schema.metadataVersion == first.metadataVersion)
            }
            #expect(bed.operations.count == queries)
            #expect(store.callCount == calls)

            // Another process finds the snapshot in Redis: no PostgreSQL round trip.
            let other = WorkspaceSchemaCache(database: bed.database, store: store, logger: bed.logger)
            let shared = try await other.schema(for: bed.workspace.id, logger: bed.logger)
            #expect(bed.operations.count == queries)
            #expect(shared.object(named: "person")?.field(named: "company")?.id == first.object(named: "person")?.field(named: "company")?.id)

            // Past the interval, one GET of the version key re-validates it.
            let clock = ManualClock()
            let quick = WorkspaceSchemaCache(database: bed.database, store: store, configuration: configuration(interval: .seconds(3600)),
                                             logger: bed.logger, time: clock.time)
            _ = try await quick.schema(for: bed.workspace.id, logger: bed.logger)
            clock.advance(by: .seconds(3600))
            let before = store.callCount
            _ = try await quick.schema(for: bed.workspace.id, logger: bed.logger)
            #expect(store.callCount == before + 1)
            #expect(bed.operations.count == queries)
        }
    }

    @Test func snapshotsAreCheckedLessOftenWhileEveryAnnouncementArrives() async throws {
        try await CacheTestBed.run { bed in
            let store = InstrumentedStore(RedisMetadataStore(redis: bed.redis[0]))
            var configuration = configuration(interval: .seconds(1))
            configuration.announcedRevalidationInterval = .seconds(3600)
            let clock = ManualClock()
            let cache = WorkspaceSchemaCache(database: bed.database, store: store, configuration: configuration, logger: bed.logger,
                                             time: clock.time)
            let workspace = bed.workspace.id
            /// The shared store's calls made by one read of the snapshot.
            func checks() async throws -> Int {
                let before = store.callCount
                _ = try await cache.schema(for: workspace, logger: bed.logger)
                return store.callCount - before
            }
            _ = try await checks()
            cache.announcements(1)
            #expect(try await checks() == 1, "reception began: every snapshot is checked once")
            clock.advance(by: .seconds(2))
            #expect(try await checks() == 0, "past the interval, but every change is announced")
            cache.announcements(nil)
            #expect(try await checks() == 1, "announcements may be missed: the interval applies again")
            #expect(try await checks() == 0)
            cache.announcements(2)
            #expect(try await checks() == 1)
        }
    }

    @Test func aBurstOfCallersSharesOneLoadAndOneCheck() async throws {
        try await CacheTestBed.run { bed in
            let store = InstrumentedStore(RedisMetadataStore(redis: bed.redis[0]))
            let cache = WorkspaceSchemaCache(database: bed.database, store: nil, configuration: configuration(interval: .seconds(3600)),
                                             logger: bed.logger)
            let workspace = bed.workspace.id
            let logger = bed.logger
            func burst(_ cache: WorkspaceSchemaCache) async throws -> Set<Int> {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<32 { group.addTask { try await cache.schema(for: workspace, logger: logger).metadataVersion } }
                    return try await group.reduce(into: []) { $0.insert($1) }
                }
            }
            // Cold, no shared store: 32 concurrent callers, one snapshot query.
            #expect(try await burst(cache).count == 1)
            #expect(bed.operations.count == 1)
            // Through the shared store: the first process loads and shares; a second, cold, reads it once for all.
            let sharing = WorkspaceSchemaCache(database: bed.database, store: store, configuration: configuration(interval: .seconds(3600)),
                                               logger: bed.logger)
            _ = try await burst(sharing)
            let clock = ManualClock()
            let other = WorkspaceSchemaCache(database: bed.database, store: store, configuration: configuration(interval: .seconds(3600)),
                                             logger: bed.logger, time: clock.time)
            let (queries, calls) = (bed.operations.count, store.callCount)
            _ = try await burst(other)
            #expect(bed.operations.count == queries)
            let load = store.callCount - calls
            #expect(load >= 2)  // the version key, the snapshot (and any object shapes not yet held in process)
            // Due for a check: one GET of the version key for the whole burst.
            clock.advance(by: .seconds(3600))
            let before = store.callCount
            _ = try await burst(other)
            #expect(store.callCount == before + 1)
        }
    }

    @Test func changesReachAnotherInstanceQuickly() async throws {
        try await CacheTestBed.run(redisClients: 2) { bed in
            let writer = WorkspaceSchemaCache(database: bed.database, store: RedisMetadataStore(redis: bed.redis[0]), logger: bed.logger)
            let reader = WorkspaceSchemaCache(database: bed.database, store: RedisMetadataStore(redis: bed.redis[1]), logger: bed.logger)
            let workspace = bed.workspace.id
            try await bed.with(services: [.init(cache: writer), .init(cache: reader)]) {
                // Warm up until the reader's subscription delivers.
                var warm = try await reader.schema(for: workspace, logger: bed.logger)
                let deadline = ContinuousClock.now + .seconds(10)
                var warmVersion = 0
                while ContinuousClock.now < deadline {
                    (_, warm) = try await writer.change(workspace, logger: bed.logger, Self.relabel(bed, to: "Warm-up"))
                    warmVersion = warm.metadataVersion
                    try await Task.sleep(for: .milliseconds(50))
                    if try await reader.schema(for: workspace, logger: bed.logger).metadataVersion == warmVersion { break }
                }
                var staleness: [Duration] = []
                for index in 0..<100 {
                    let label = "Name \(index)"
                    let schema = try await bed.database.withTransaction(logger: bed.logger) { connection in
                        try await Self.relabel(bed, to: label)(connection)
                        _ = try await WorkspaceMetadataVersion.bump(workspace, on: connection, logger: bed.logger)
                        return try await WorkspaceSchemaLoader.load(workspace, on: connection, logger: bed.logger)!
                    }
                    let committed = ContinuousClock.now
                    await writer.didCommit(schema)
                    while true {
                        let seen = try await reader.schema(for: workspace, logger: bed.logger)
                        if seen.metadataVersion >= schema.metadataVersion {
                            #expect(seen.object(named: "company")?.field(named: "name")?.label == label)
                            break
                        }
                        try await Task.sleep(for: .microseconds(200))
                    }
                    staleness.append(committed.duration(to: .now))
                }
                let sorted = staleness.sorted()
                let milliseconds = { (duration: Duration) in duration.milliseconds }
                print(String(format: "metadata-cache: staleness over 100 changes: median %.2f ms, p90 %.2f ms, max %.2f ms",
                             milliseconds(sorted[50]), milliseconds(sorted[90]), milliseconds(sorted[99])))
                // DESIGN.md's goal is 100 ms for every change. Measured here (debug build, 2 loaded cores): median ~9 ms,
                // max ~30 ms alone, up to ~800 ms during a full parallel test run. The test checks that every change
                // arrives (no stale entry survives); the latency goal is measured by bench/metadata-cache, not asserted here.
                #expect(sorted[50] < .milliseconds(500))
                #expect(sorted[99] < .seconds(5))
            }
        }
    }

    @Test func redisUnreachableFallsBackToPostgres() async throws {
        try await CacheTestBed.run { bed in
            var closed = try RedisConfiguration(url: "redis://127.0.0.1:1")
            closed.connectTimeout = .milliseconds(200)
            closed.commandTimeout = .milliseconds(200)
            let redis = RedisClient(configuration: closed, logger: bed.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await redis.run() }
                defer { group.cancelAll() }
                // Cached and fresh: still no round trip. An hour's interval keeps the entry fresh however slow the machine.
                let steady = WorkspaceSchemaCache(database: bed.database, store: RedisMetadataStore(redis: redis),
                                                  configuration: configuration(interval: .seconds(3600)), logger: bed.logger)
                let queriesBefore = bed.operations.count
                #expect(try await steady.schema(for: bed.workspace.id, logger: bed.logger).object(named: "company") != nil)
                let queries = bed.operations.count
                #expect(queries == queriesBefore + 1, "Redis unreachable: one PostgreSQL load")
                for _ in 0..<10 { _ = try await steady.schema(for: bed.workspace.id, logger: bed.logger) }
                #expect(bed.operations.count == queries)

                let clock = ManualClock()
                let cache = WorkspaceSchemaCache(database: bed.database, store: RedisMetadataStore(redis: redis),
                                                 configuration: configuration(interval: .seconds(3600)), logger: bed.logger, time: clock.time)
                let schema = try await cache.schema(for: bed.workspace.id, logger: bed.logger)
                #expect(schema.object(named: "company") != nil)
                // Changes still work, and re-validation against PostgreSQL sees changes made elsewhere.
                let (_, changed) = try await cache.change(bed.workspace.id, logger: bed.logger, Self.relabel(bed, to: "Offline"))
                #expect(changed.metadataVersion == schema.metadataVersion + 1)
                let elsewhere = WorkspaceSchemaCache(database: bed.database, store: RedisMetadataStore(redis: redis), logger: bed.logger)
                _ = try await elsewhere.change(bed.workspace.id, logger: bed.logger, Self.relabel(bed, to: "Elsewhere"))
                clock.advance(by: .seconds(3600))  // past the revalidation interval
                let seen = try await cache.schema(for: bed.workspace.id, logger: bed.logger)
                #expect(seen.metadataVersion == schema.metadataVersion + 2)
                #expect(seen.object(named: "company")?.field(named: "name")?.label == "Elsewhere")
                await #expect(throws: AtriumError.self) { try await cache.schema(for: UUID(), logger: bed.logger) }
            }
        }
    }

    @Test func nothingStaysStaleOnceRedisIsBack() async throws {
        try await CacheTestBed.run(redisClients: 2) { bed in
            let writerStore = InstrumentedStore(RedisMetadataStore(redis: bed.redis[0]))
            let writer = WorkspaceSchemaCache(database: bed.database, store: writerStore,
                                              configuration: configuration(interval: .milliseconds(50)), logger: bed.logger)
            let reader = WorkspaceSchemaCache(database: bed.database, store: RedisMetadataStore(redis: bed.redis[1]),
                                              configuration: configuration(interval: .milliseconds(50)), logger: bed.logger)
            let workspace = bed.workspace.id
            try await bed.with(services: [.init(cache: writer), .init(cache: reader)]) {
                let before = try await reader.schema(for: workspace, logger: bed.logger)
                writerStore.isDown = true
                let (_, changed) = try await writer.change(workspace, logger: bed.logger, Self.relabel(bed, to: "While down"))
                // The writer's Redis missed the change: the reader cannot know yet.
                try await Task.sleep(for: .milliseconds(100))
                #expect(try await reader.schema(for: workspace, logger: bed.logger).metadataVersion == before.metadataVersion)
                writerStore.isDown = false
                let deadline = ContinuousClock.now + .seconds(5)
                var seen = before
                while ContinuousClock.now < deadline, seen.metadataVersion < changed.metadataVersion {
                    try await Task.sleep(for: .milliseconds(10))
                    seen = try await reader.schema(for: workspace, logger: bed.logger)
                }
                #expect(seen.metadataVersion == changed.metadataVersion)
                #expect(seen.object(named: "company")?.field(named: "name")?.label == "While down")
            }
        }
    }
}
