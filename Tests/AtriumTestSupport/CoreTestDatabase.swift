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
    /// Inserts a workspace with `status` (`ACTIVE`, `SUSPENDED`, `INACTIVE`, …) and its standard roles (a workspace
    /// past creation needs a default role), and returns its id.
    public static func insert(status: String = "ACTIVE", in database: Database, logger: Logger) async throws -> UUID {
        let id = UUID()
        let subdomain = "test-" + id.uuidString.lowercased()
        try await database.withTransaction(logger: logger) { connection in
            try await insert(id, subdomain: subdomain, schema: "", status: status, on: connection, logger: logger)
        }
        return id
    }

    /// Inserts the workspace row as ONGOING_CREATION, makes its standard roles, then gives it `status`.
    static func insert(
        _ id: UUID, subdomain: String, schema: String, status: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query("""
            INSERT INTO core."workspace" (id, subdomain, "databaseSchema", "activationStatus")
            VALUES (\(id), \(subdomain), \(schema), 'ONGOING_CREATION')
            """, logger: logger)
        try await connection.query(#"SELECT core."atrium_create_standard_roles"(\#(id))"#, logger: logger)
        try await connection.query("""
            UPDATE core."workspace" SET "activationStatus" = CAST(\(status) AS core."workspace_activationStatus_enum") WHERE id = \(id)
            """, logger: logger)
    }
}
