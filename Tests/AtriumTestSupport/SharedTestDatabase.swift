import AtriumCore
import Foundation
import Logging
import Metrics

/// The test server's main database, upgraded once per test process so `core` exists.
///
/// Tests that only add workspaces share it (each works in its own workspace); tests that change instance-wide
/// state use ``TestDatabase/withFresh(logger:_:)`` instead.
public enum SharedTestDatabase {
    private static let upgraded = Task<Void, any Error> {
        try await withDatabase { database in
            var options = UpgradeOptions()
            options.waitForLock = true
            let registry = try UpgradeRegistry(MigrationDirectory.commands(in: [TestEnvironment.packageRoot.appendingPathComponent("Migrations")]))
            let report = try await UpgradeRunner(database: database, registry: registry, logger: Logger(label: "test.upgrade")).run(options)
            if report.failed { throw UpgradeFailed(report: "\(report)") }
        }
    }

    /// Runs `body` with a running pool on the shared, upgraded test database.
    public static func withDatabase<Result: Sendable>(_ body: @Sendable (Database) async throws -> Result) async throws -> Result {
        let configuration = try TestEnvironment.configuration()
        let database = Database(settings: configuration.postgres, logger: Logger(label: "test.database"), metricsFactory: NOOPMetricsHandler.instance)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            return try await body(database)
        }
    }

    /// Runs `body` on the shared database once it has been upgraded to this build.
    public static func withUpgradedDatabase<Result: Sendable>(_ body: @Sendable (Database) async throws -> Result) async throws -> Result {
        try await upgraded.value
        return try await withDatabase(body)
    }

    struct UpgradeFailed: Error, CustomStringConvertible {
        let report: String
        var description: String { "upgrading the shared test database failed: \(report)" }
    }
}
