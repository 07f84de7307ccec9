import ArgumentParser
import AtriumCore
import Foundation
import Logging
import Metrics

/// Memory per cached workspace in ``WorkspaceSchemaCache`` (standard objects, distinct ids per workspace), against a
/// floor: what a bare `[UUID: Int]` dictionary entry per workspace costs. Also times the hot path (a fresh hit).
///
/// Heap figures are glibc's `mallinfo2` growth while the workspaces are added, divided by their number.
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

        let sharedBefore = WorkspaceSchemaMemory.heapBytesInUse() ?? 0
        let first = try WorkspaceSchema(definitions: StandardObjects.all)
        let shared = (WorkspaceSchemaMemory.heapBytesInUse() ?? 0) - sharedBefore
        let encoded = try first.encoded().count
        let reference = first.referenceEncoded().count

        // Floor: one dictionary entry per workspace, no metadata.
        var floorEntries: [UUID: Int] = [:]
        let floorBefore = WorkspaceSchemaMemory.heapBytesInUse() ?? 0
        for index in 0..<count { floorEntries[UUID()] = index }
        let floor = ((WorkspaceSchemaMemory.heapBytesInUse() ?? 0) - floorBefore) / count

        // Atrium: the cache holding `count` standard workspaces.
        var cacheConfiguration = WorkspaceSchemaCache.Configuration()
        cacheConfiguration.capacity = count * 2
        cacheConfiguration.revalidationInterval = .seconds(3600)
        let cache = WorkspaceSchemaCache(database: database, store: nil, configuration: cacheConfiguration, logger: logger)
        var ids: [UUID] = []
        ids.reserveCapacity(count)
        let before = WorkspaceSchemaMemory.heapBytesInUse() ?? 0
        for _ in 0..<count {
            let schema = try WorkspaceSchema(definitions: StandardObjects.all)
            ids.append(schema.workspaceID)
            await cache.didCommit(schema)
        }
        let perWorkspace = ((WorkspaceSchemaMemory.heapBytesInUse() ?? 0) - before) / count

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
        print("goal: ≤ 50 KB (51200 bytes) per cached workspace — \(perWorkspace <= 51_200 ? "met" : "NOT met")")
        withExtendedLifetime((floorEntries, cache)) {}
    }

    func row(_ a: String, _ b: String, _ c: String) -> String {
        a.padding(toLength: 28, withPad: " ", startingAt: 0) + b.padding(toLength: 18, withPad: " ", startingAt: 0) + c
    }
}
