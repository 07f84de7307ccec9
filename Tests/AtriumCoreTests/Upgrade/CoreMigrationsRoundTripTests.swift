import AtriumCore
import AtriumTestSupport
import Logging
import PostgresNIO
import Testing

@Suite(.tags(.integration)) struct CoreMigrationsRoundTripTests {
    /// Applies every shipped instance command, reverts them in reverse order, and applies them again:
    /// each `down` must undo its `up` exactly, leaving `core` as before.
    @Test func everyDownRevertsItsUp() async throws {
        try await TestDatabase.withFresh { database, _ in
            let logger = UpgradeFixtures.logger
            let steps = try UpgradeFixtures.registry().steps.filter { $0.kind != .workspace }
            try await UpgradeLedger(database: database).bootstrap(logger: logger)
            let emptyCore = try await Self.coreObjects(database)
            var snapshots: [[String]] = []
            for step in steps {
                snapshots.append(try await Self.coreObjects(database))
                try await database.withTransaction(logger: logger) { connection in try await step.up!(connection, logger) }
            }
            for (step, before) in zip(steps, snapshots).reversed() {
                try await database.withTransaction(logger: logger) { connection in try await step.down!(connection, logger) }
                #expect(try await Self.coreObjects(database) == before, "down of \(step.name) left core different")
            }
            #expect(try await Self.coreObjects(database) == emptyCore)
            for step in steps {
                try await database.withTransaction(logger: logger) { connection in try await step.up!(connection, logger) }
            }
        }
    }

    /// Tables, columns, types and indexes of `core`, as sorted text.
    static func coreObjects(_ database: Database) async throws -> [String] {
        let rows = try await database.query("""
            SELECT 'column ' || c.table_name || '.' || c.column_name || ' ' || c.data_type || ' ' || c.is_nullable
                || ' ' || coalesce(c.column_default, '')
            FROM information_schema.columns c WHERE c.table_schema = 'core'
            UNION ALL SELECT 'type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = 'core' AND t.typtype = 'e'
            UNION ALL SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'core'
            ORDER BY 1
            """, logger: UpgradeFixtures.logger)
        var result: [String] = []
        for try await line in rows.decode(String.self) { result.append(line) }
        return result
    }
}
