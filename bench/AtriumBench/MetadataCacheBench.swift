import ArgumentParser
import AtriumCore
import Foundation
import Logging
import Metrics

/// Memory per cached workspace in ``WorkspaceSchemaCache`` (standard objects, distinct ids per workspace), against a
/// floor: what a bare `[UUID: Int]` dictionary entry per workspace costs. Also times the hot path (a fresh hit).
///
/// Heap figures are glibc's `mallinfo2` growth (every arena) while the workspaces are added, divided by their number.
/// A figure that is not greater than 0 fails the bench (``BenchFigures``): it means the heap was not measured.
struct MetadataCacheBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "metadata-cache")

    @Option(help: "Workspaces to cache.") var count = 2000

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let configuration = try AtriumConfiguration(ConfigurationValues.load())
        // Never run: with no shared store and only `didCommit`, the cache touches no database.
        let database = Database(settings: configuration.postgres, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        let count = self.count
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }

        // glibc's statistics of every arena, read between steps; no reading means no figure (never a 0 that reads as free).
        func heap() throws -> Int {
            guard let bytes = WorkspaceSchemaMemory.heapBytesInUse() else {
                throw ValidationError("heap statistics are unavailable (glibc mallinfo2): cannot measure memory on this platform")
            }
            return bytes
        }

        let sharedBefore = try heap()
        let first = try WorkspaceSchema(definitions: StandardObjects.all)
        let shared = try heap() - sharedBefore
        let encoded = try first.encoded().count
        let reference = first.referenceEncoded().count

        // Floor: one dictionary entry per workspace, no metadata.
        var floorEntries: [UUID: Int] = [:]
        let floorBefore = try heap()
        for index in 0..<count { floorEntries[UUID()] = index }
        let floor = (try heap() - floorBefore) / count

        // Atrium: the cache holding `count` standard workspaces.
        var cacheConfiguration = WorkspaceSchemaCache.Configuration()
        cacheConfiguration.capacity = count * 2
        cacheConfiguration.revalidationInterval = .seconds(3600)
        let cache = WorkspaceSchemaCache(database: database, store: nil, configuration: cacheConfiguration, logger: logger)
        var ids: [UUID] = []
        ids.reserveCapacity(count)
        let before = try heap()
        for _ in 0..<count {
            let schema = try WorkspaceSchema(definitions: StandardObjects.all)
            ids.append(schema.workspaceID)
            await cache.didCommit(schema)
        }
        let perWorkspace = (try heap() - before) / count

        // Hot path: fresh hits.
        let lookups = 200_000
        let start = ContinuousClock.now
        for index in 0..<lookups { _ = try await cache.schema(for: ids[index % count], logger: logger) }
        let elapsed = start.duration(to: .now)
        let nanoseconds = (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9) / Double(lookups)

        print("metadata-cache: \(count) workspaces, \(first.objectCount) objects and \(first.fieldCount) fields each")
        print("shared standard shapes (paid once per process): \(shared / 1024) KB")
        print("Redis per workspace: \(reference) bytes (ids + shape digests; full JSON form would be \(encoded / 1024) KB)")
        print(row("", "bytes/workspace", "ratio"))
        print(row("floor: [UUID: Int] entry", "\(floor)", "1.0"))
        print(row("atrium: cached snapshot", "\(perWorkspace)", String(format: "%.1f", Double(perWorkspace) / Double(max(floor, 1)))))
        print(String(format: "hot path (fresh hit): %.0f ns per lookup", nanoseconds))
        withExtendedLifetime((floorEntries, cache)) {}
        try BenchFigures.requirePositive([
            "shared standard shapes bytes": Double(shared), "floor bytes/workspace": Double(floor),
            "cached snapshot bytes/workspace": Double(perWorkspace), "Redis bytes/workspace": Double(reference),
            "hot path ns/lookup": nanoseconds,
        ])
        print("goal: ≤ 50 KB (51200 bytes) per cached workspace — \(perWorkspace <= 51_200 ? "met" : "NOT met")")
    }

    func row(_ a: String, _ b: String, _ c: String) -> String {
        a.padding(toLength: 28, withPad: " ", startingAt: 0) + b.padding(toLength: 18, withPad: " ", startingAt: 0) + c
    }
}
