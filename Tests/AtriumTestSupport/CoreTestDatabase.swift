import AtriumCore
import Foundation
import Logging
import PostgresNIO

extension TestDatabase {
    /// Like ``withFresh(logger:_:)``, with the shipped migrations applied first, so `core` tables exist.
    public static func withFreshCore<Result: Sendable>(
        logger: Logger = Logger(label: "test.database"),
        _ body: @Sendable (Database, PostgresSettings) async throws -> Result
    ) async throws -> Result {
        try await withFresh(logger: logger) { database, settings in
            let migrations = TestEnvironment.packageRoot.appendingPathComponent("Migrations")
            let registry = try UpgradeRegistry(MigrationDirectory.commands(in: [migrations]))
            let report = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(UpgradeOptions())
            guard !report.failed else { throw CoreSetupFailure(report: report) }
            return try await body(database, settings)
        }
    }

    /// The upgrade of a fresh test database failed.
    public struct CoreSetupFailure: Error, CustomStringConvertible {
        let report: UpgradeReport
        public var description: String { "upgrading the test database failed: \(String(describing: report.instanceFailure))" }
    }
}

/// `core.workspace` rows without a schema, for tests that only need a tenant to exist (auth, API keys).
public enum TestWorkspaceRows {
    /// Inserts a workspace with `status` (`ACTIVE`, `SUSPENDED`, `INACTIVE`, …) and returns its id.
    public static func insert(status: String = "ACTIVE", in database: Database, logger: Logger) async throws -> UUID {
        let id = UUID()
        let subdomain = "test-" + id.uuidString.lowercased()
        _ = try await database.query("""
            INSERT INTO core."workspace" (id, subdomain, "activationStatus")
            VALUES (\(id), \(subdomain), CAST(\(status) AS core."workspace_activationStatus_enum"))
            """, logger: logger)
        return id
    }
}
