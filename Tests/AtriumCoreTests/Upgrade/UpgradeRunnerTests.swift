import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite(.tags(.integration)) struct UpgradeRunnerTests {
    let logger = UpgradeFixtures.logger

    @Test func freshInstallCreatesCoreAndRerunIsANoOp() async throws {
        try await TestDatabase.withFresh { database, _ in
            let runner = UpgradeRunner(database: database, registry: try UpgradeFixtures.registry(), logger: logger)
            let first = try await runner.run(UpgradeOptions())
            #expect(!first.failed)
            #expect(!first.instanceStepsRun.isEmpty)
            let workspaceTable = try await UpgradeFixtures.scalar(#"SELECT to_regclass('core."workspace"') IS NOT NULL"#, as: Bool.self, in: database)
            #expect(workspaceTable == true)
            let second = try await runner.run(UpgradeOptions())
            #expect(second.instanceStepsRun.isEmpty)
            #expect(second.workspaceStepsRun == 0)
            let rows = try await UpgradeFixtures.scalar(#"SELECT count(*)::int FROM core."upgradeMigration""#, as: Int.self, in: database)
            #expect(rows == first.instanceStepsRun.count)
        }
    }

    @Test func dryRunChangesNothing() async throws {
        try await TestDatabase.withFresh { database, _ in
            let registry = try UpgradeFixtures.registry()
            var options = UpgradeOptions()
            options.dryRun = true
            let report = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(options)
            #expect(report.dryRun)
            #expect(report.instanceStepsRun == registry.steps.filter { $0.kind != .workspace }.map(\.name))
            let core = try await UpgradeFixtures.scalar("SELECT count(*)::int FROM pg_namespace WHERE nspname = 'core'", as: Int.self, in: database)
            #expect(core == 0)

            // On an upgraded instance with pending workspace work, a dry run counts it and writes nothing.
            _ = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(UpgradeOptions())
            _ = try await UpgradeFixtures.makeWorkspaces(3, in: database)
            let withStep = try UpgradeFixtures.registry([UpgradeFixtures.recordingWorkspaceCommand(1, "RecordRun")])
            let before = try await UpgradeFixtures.scalar(#"SELECT count(*)::int FROM core."upgradeMigration""#, as: Int.self, in: database)
            let dry = try await UpgradeRunner(database: database, registry: withStep, logger: logger).run(options)
            #expect(dry.workspaceStepsRun == 3)
            let after = try await UpgradeFixtures.scalar(#"SELECT count(*)::int FROM core."upgradeMigration""#, as: Int.self, in: database)
            #expect(before == after)
            #expect(try await UpgradeFixtures.runCounts("RecordRun", in: database).values.allSatisfy { $0 == 0 })
        }
    }

    @Test func slowCommandSkipsItsDataPartWithoutActiveWorkspaces() async throws {
        try await TestDatabase.withFresh { database, _ in
            let slow = Self.slowBackfill(timestamp: 2)
            let report = try await UpgradeRunner(database: database, registry: try UpgradeFixtures.registry([Self.createNotes, slow]), logger: logger)
                .run(UpgradeOptions())
            #expect(!report.failed)
            #expect(report.instanceStepsRun.contains(slow.name))
            // up ran (the column is NOT NULL now), the data part did not (it would have written a backfill marker).
            let notNull = try await UpgradeFixtures.scalar("""
                SELECT attnotnull FROM pg_attribute WHERE attrelid = 'core.notes'::regclass AND attname = 'label'
                """, as: Bool.self, in: database)
            #expect(notNull == true)
            #expect(try await UpgradeFixtures.scalar("SELECT count(*)::int FROM core.backfills", as: Int.self, in: database) == 0)
        }
    }

    @Test func slowCommandRunsItsDataPartBeforeUpWithActiveWorkspaces() async throws {
        try await TestDatabase.withFresh { database, _ in
            // Install up to the notes table, add a workspace and a row that only the backfill makes valid.
            _ = try await UpgradeRunner(database: database, registry: try UpgradeFixtures.registry([Self.createNotes]), logger: logger)
                .run(UpgradeOptions())
            _ = try await UpgradeFixtures.makeWorkspaces(1, in: database)
            try await database.query("INSERT INTO core.notes (label) VALUES (NULL)", logger: logger)
            let report = try await UpgradeRunner(
                database: database, registry: try UpgradeFixtures.registry([Self.createNotes, Self.slowBackfill(timestamp: 2)]), logger: logger
            ).run(UpgradeOptions())
            #expect(!report.failed, "up would fail on the NULL label had the data migration not run first")
            #expect(try await UpgradeFixtures.scalar("SELECT count(*)::int FROM core.backfills", as: Int.self, in: database) == 1)
            #expect(try await UpgradeFixtures.scalar("SELECT label FROM core.notes", as: String.self, in: database) == "backfilled")
        }
    }

    @Test func oneFailingWorkspaceOutOfTwentyDoesNotStopTheOthersAndIsRetriedAlone() async throws {
        try await TestDatabase.withFresh { database, _ in
            let base = try UpgradeFixtures.registry()
            _ = try await UpgradeRunner(database: database, registry: base, logger: logger).run(UpgradeOptions())
            let workspaces = try await UpgradeFixtures.makeWorkspaces(20, in: database)
            let failing = workspaces[7]
            let schema = try #require(try await UpgradeFixtures.scalar(
                #"SELECT "databaseSchema" FROM core."workspace" WHERE id = \#(failing)"#, as: String.self, in: database))
            try await database.query("CREATE TABLE \(try SQLIdentifier(schema)).fail_here ()", logger: logger)

            let registry = try UpgradeFixtures.registry([
                UpgradeFixtures.recordingWorkspaceCommand(1, "FirstStep"),
                UpgradeFixtures.recordingWorkspaceCommand(2, "SecondStep"),
            ])
            var options = UpgradeOptions()
            options.concurrency = 4
            let first = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(options)
            #expect(first.failed)
            #expect(first.workspaceFailures.map(\.workspaceID) == [failing])
            #expect(first.workspaceFailures.first?.error.contains("fail_here") == true)
            #expect(first.workspaceStepsRun == 19 * 2)
            var counts = try await UpgradeFixtures.runCounts("FirstStep", in: database)
            #expect(counts[failing] == 0)
            #expect(counts.filter { $0.key != failing }.values.allSatisfy { $0 == 1 })

            let status = try await UpgradeStatus.read(database: database, registry: registry, logger: logger)
            #expect(status.workspaces.first { $0.id == failing }?.health == .failed)
            #expect(status.workspaces.filter { $0.health == .upToDate }.count == 19)

            try await database.query("DROP TABLE \(try SQLIdentifier(schema)).fail_here", logger: logger)
            let second = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(options)
            #expect(!second.failed)
            #expect(second.workspacesTouched == 1)
            #expect(second.workspaceStepsRun == 2)
            counts = try await UpgradeFixtures.runCounts("SecondStep", in: database)
            #expect(counts.values.allSatisfy { $0 == 1 })
            let attempts = try await UpgradeFixtures.scalar(#"""
                SELECT max(attempt)::int FROM core."upgradeMigration" WHERE "workspaceId" = \#(failing)
                """#, as: Int.self, in: database)
            #expect(attempts == 2)
        }
    }

    @Test func instanceStepWaitsForWorkspacesThatFailedBeforeIt() async throws {
        try await TestDatabase.withFresh { database, _ in
            _ = try await UpgradeRunner(database: database, registry: try UpgradeFixtures.registry(), logger: logger).run(UpgradeOptions())
            let workspaces = try await UpgradeFixtures.makeWorkspaces(2, in: database)
            let schema = try #require(try await UpgradeFixtures.scalar(
                #"SELECT "databaseSchema" FROM core."workspace" WHERE id = \#(workspaces[0])"#, as: String.self, in: database))
            try await database.query("CREATE TABLE \(try SQLIdentifier(schema)).fail_here ()", logger: logger)
            let later = UpgradeCommand.fast(UpgradeFixtures.v020, 1, "LaterInstanceStep", up: { connection, logger in
                try await connection.query("CREATE TABLE core.later (id int)", logger: logger)
            }, down: { connection, logger in
                try await connection.query("DROP TABLE core.later", logger: logger)
            })
            let registry = try UpgradeFixtures.registry([UpgradeFixtures.recordingWorkspaceCommand(1, "Step"), later])
            let report = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(UpgradeOptions())
            #expect(report.failed)
            #expect(report.stoppedBecause?.contains(later.name) == true)
            #expect(try await UpgradeFixtures.scalar("SELECT to_regclass('core.later') IS NULL", as: Bool.self, in: database) == true)
        }
    }

    @Test func concurrentUpgradesNeverDuplicateWork() async throws {
        try await TestDatabase.withFresh { database, _ in
            _ = try await UpgradeRunner(database: database, registry: try UpgradeFixtures.registry(), logger: logger).run(UpgradeOptions())
            _ = try await UpgradeFixtures.makeWorkspaces(10, in: database)
            let slowStep = UpgradeCommand.workspace(UpgradeFixtures.v010, 1, "SlowStep") { connection, target, logger in
                try await connection.query("SELECT pg_sleep(0.05)", logger: logger)
                try await connection.query("INSERT INTO \(target.schema).\(try SQLIdentifier("runs")) (step) VALUES ('SlowStep')", logger: logger)
            }
            let registry = try UpgradeFixtures.registry([slowStep])
            let outcomes = await withTaskGroup(of: String.self, returning: [String].self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        do {
                            let report = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(UpgradeOptions())
                            return report.failed ? "failed" : "ran"
                        } catch is UpgradeLock.Busy {
                            return "busy"
                        } catch {
                            return "error: \(error)"
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.sorted() == ["busy", "ran"])
            #expect(try await UpgradeFixtures.runCounts("SlowStep", in: database).values.allSatisfy { $0 == 1 })

            var waiting = UpgradeOptions()
            waiting.waitForLock = true
            let afterWait = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(waiting)
            #expect(afterWait.workspaceStepsRun == 0)
        }
    }

    @Test func newWorkspacesAreStampedAndNeverReplayHistory() async throws {
        try await TestDatabase.withFresh { database, _ in
            let registry = try UpgradeFixtures.registry([UpgradeFixtures.recordingWorkspaceCommand(1, "Historic")])
            _ = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(UpgradeOptions())
            let id = try #require(try await UpgradeFixtures.makeWorkspaces(1, in: database).first)
            try await database.withConnection { connection in
                try await UpgradeLedger.stampNewWorkspace(id, steps: registry.workspaceStepNames, on: connection, logger: logger)
            }
            let report = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(UpgradeOptions())
            #expect(report.workspaceStepsRun == 0)
            #expect(try await UpgradeFixtures.runCounts("Historic", in: database)[id] == 0)
            let status = try await UpgradeStatus.read(database: database, registry: registry, logger: logger)
            #expect(status.workspaces.map(\.health) == [.upToDate])
            #expect(status.instance.health == .upToDate)
        }
    }

    @Test func runInstanceCommandsStopsAtSlowCommandsUnlessIncluded() async throws {
        try await TestDatabase.withFresh { database, _ in
            let registry = try UpgradeFixtures.registry([Self.createNotes, Self.slowBackfill(timestamp: 2)])
            var options = UpgradeOptions()
            options.instanceCommandsOnly = true
            let report = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(options)
            #expect(report.stoppedBecause?.contains("SlowBackfill") == true)
            #expect(!report.instanceStepsRun.contains { $0.contains("SlowBackfill") })
            options.includeSlow = true
            let included = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(options)
            #expect(included.instanceStepsRun.contains { $0.contains("SlowBackfill") })
            #expect(included.stoppedBecause == nil)
        }
    }

    // MARK: - Fixture commands

    /// A fast 0.2.0 command creating `core.notes` and `core.backfills`.
    static let createNotes = UpgradeCommand.fast(UpgradeFixtures.v020, 1, "CreateNotes", up: { connection, logger in
        try await connection.query("CREATE TABLE core.notes (label text)", logger: logger)
        try await connection.query("CREATE TABLE core.backfills (at timestamptz DEFAULT now())", logger: logger)
    }, down: { connection, logger in
        try await connection.query("DROP TABLE core.notes", logger: logger)
        try await connection.query("DROP TABLE core.backfills", logger: logger)
    })

    /// A slow 0.2.0 command: backfills NULL labels, then makes the column NOT NULL.
    static func slowBackfill(timestamp: Int64) -> UpgradeCommand {
        .slow(UpgradeFixtures.v020, timestamp, "SlowBackfill", dataMigration: { database, logger in
            try await database.query("UPDATE core.notes SET label = 'backfilled' WHERE label IS NULL", logger: logger)
            try await database.query("INSERT INTO core.backfills DEFAULT VALUES", logger: logger)
        }, up: { connection, logger in
            try await connection.query("ALTER TABLE core.notes ALTER COLUMN label SET NOT NULL", logger: logger)
        }, down: { connection, logger in
            try await connection.query("ALTER TABLE core.notes ALTER COLUMN label DROP NOT NULL", logger: logger)
        })
    }
}
