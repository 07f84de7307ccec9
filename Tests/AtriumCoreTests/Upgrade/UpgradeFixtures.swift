import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO

/// Builders of registries and synthetic workspaces for upgrade tests.
enum UpgradeFixtures {
    static let logger = Logger(label: "test.upgrade")
    static let v010 = SemanticVersion(0, 1, 0)
    static let v020 = SemanticVersion(0, 2, 0)

    /// The shipped commands plus `extra`.
    static func registry(_ extra: [UpgradeCommand] = []) throws -> UpgradeRegistry {
        try UpgradeRegistry(MigrationDirectory.commands(in: [shippedMigrations]) + extra)
    }

    static var shippedMigrations: URL {
        TestEnvironment.packageRoot.appendingPathComponent("Migrations")
    }

    /// Inserts `count` ACTIVE synthetic workspaces.
    static func makeWorkspaces(_ count: Int, in database: Database) async throws -> [UUID] {
        try await SyntheticWorkspaces.make(count, in: database, logger: logger)
    }

    /// A workspace command that appends its name to the workspace's `runs` table, failing for workspaces whose
    /// schema has a `fail_here` table.
    static func recordingWorkspaceCommand(_ timestamp: Int64, _ className: String, version: SemanticVersion = v010) -> UpgradeCommand {
        .workspace(version, timestamp, className) { connection, target, logger in
            let rows = try await connection.query(
                "SELECT to_regclass(\(target.schema.name + ".fail_here")) IS NOT NULL", logger: logger
            )
            for try await shouldFail in rows.decode(Bool.self) where shouldFail {
                throw FixtureFailure(message: "fail_here present in \(target.schema.name)")
            }
            try await connection.query("INSERT INTO \(target.schema).\(try SQLIdentifier("runs")) (step) VALUES (\(className))", logger: logger)
        }
    }

    /// How many times each workspace ran `className`.
    static func runCounts(_ className: String, in database: Database) async throws -> [UUID: Int] {
        var counts: [UUID: Int] = [:]
        let rows = try await database.query(#"SELECT id, "databaseSchema" FROM core."workspace" ORDER BY id"#, logger: logger)
        var schemas: [(UUID, String)] = []
        for try await row in rows.decode((UUID, String).self) { schemas.append(row) }
        for (id, schema) in schemas {
            let identifier = try SQLIdentifier(schema)
            for try await count in try await database.query(
                "SELECT count(*)::int FROM \(identifier).\(try SQLIdentifier("runs")) WHERE step = \(className)", logger: logger
            ).decode(Int.self) {
                counts[id] = count
            }
        }
        return counts
    }

    /// Number of rows of a single-value query.
    static func scalar<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type, in database: Database) async throws -> T? {
        for try await value in try await database.query(query, logger: logger).decode(T.self) { return value }
        return nil
    }
}

struct FixtureFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
