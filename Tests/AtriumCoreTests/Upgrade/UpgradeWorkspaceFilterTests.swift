import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// `--start-from-workspace-id` and `--workspace-count-limit`: which workspaces a run's workspace steps take.
@Suite(.tags(.integration)) struct UpgradeWorkspaceFilterTests {
    let logger = UpgradeFixtures.logger

    @Test func startFromWorkspaceIDTakesWorkspacesFromThatIDInIDOrder() async throws {
        try await TestDatabase.withFresh { database, _ in
            let ids = try await Self.installWithWorkspaces(6, in: database)
            let registry = try UpgradeFixtures.registry([UpgradeFixtures.recordingWorkspaceCommand(1, "Step")])
            var options = UpgradeOptions()
            options.startFromWorkspaceID = ids[3]
            let report = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(options)
            #expect(!report.failed)
            #expect(report.workspacesTouched == 3)
            #expect(report.nextWorkspaceID == nil)
            let counts = try await UpgradeFixtures.runCounts("Step", in: database)
            #expect(ids[..<3].map { counts[$0] } == [0, 0, 0])
            #expect(ids[3...].map { counts[$0] } == [1, 1, 1])

            // An id that is no workspace's still orders: the lowest possible id selects them all (those done are skipped).
            options.startFromWorkspaceID = UUID(uuidString: "00000000-0000-0000-0000-000000000000")
            let rest = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(options)
            #expect(rest.workspacesTouched == 3)
            #expect(try await UpgradeFixtures.runCounts("Step", in: database).values.allSatisfy { $0 == 1 })
        }
    }

    @Test func countLimitMakesDeterministicBatchesThatNameWhereTheNextStarts() async throws {
        try await TestDatabase.withFresh { database, _ in
            let ids = try await Self.installWithWorkspaces(5, in: database)
            let registry = try UpgradeFixtures.registry([UpgradeFixtures.recordingWorkspaceCommand(1, "Step")])
            var options = UpgradeOptions()
            options.workspaceCountLimit = 2
            var batches: [[Int]] = []
            var nextIDs: [UUID?] = []
            for _ in 0..<3 {
                let report = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(options)
                #expect(!report.failed)
                let counts = try await UpgradeFixtures.runCounts("Step", in: database)
                batches.append(ids.map { counts[$0] ?? -1 })
                nextIDs.append(report.nextWorkspaceID)
                options.startFromWorkspaceID = report.nextWorkspaceID
            }
            #expect(batches == [[1, 1, 0, 0, 0], [1, 1, 1, 1, 0], [1, 1, 1, 1, 1]])
            #expect(nextIDs == [ids[2], ids[4], nil])

            // The limit counts workspaces in id order whether or not they have work left: a batch over done ones runs nothing.
            options.startFromWorkspaceID = nil
            let again = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(options)
            #expect(again.workspaceStepsRun == 0)
            #expect(again.nextWorkspaceID == ids[2])
        }
    }

    @Test func countLimitAppliesAfterTheWorkspaceIDFilter() async throws {
        try await TestDatabase.withFresh { database, _ in
            let ids = try await Self.installWithWorkspaces(4, in: database)
            let registry = try UpgradeFixtures.registry([UpgradeFixtures.recordingWorkspaceCommand(1, "Step")])
            var options = UpgradeOptions()
            options.workspaceIDs = [ids[3], ids[1], ids[2]]
            options.workspaceCountLimit = 2
            let report = try await UpgradeRunner(database: database, registry: registry, logger: logger).run(options)
            #expect(report.workspacesTouched == 2)
            #expect(report.nextWorkspaceID == ids[3])
            let counts = try await UpgradeFixtures.runCounts("Step", in: database)
            #expect(ids.map { counts[$0] } == [0, 1, 1, 0])
        }
    }

    @Test func startFromCannotBeCombinedWithWorkspaceIDsAndNothingIsWritten() async throws {
        try await TestDatabase.withFresh { database, _ in
            let ids = try await Self.installWithWorkspaces(2, in: database)
            let registry = try UpgradeFixtures.registry([UpgradeFixtures.recordingWorkspaceCommand(1, "Step")])
            let before = try await UpgradeFixtures.scalar(#"SELECT count(*)::int FROM core."upgradeMigration""#, as: Int.self, in: database)
            var options = UpgradeOptions()
            options.workspaceIDs = [ids[0]]
            options.startFromWorkspaceID = ids[1]
            let error = await #expect(throws: UpgradeOptions.Invalid.self) {
                try await UpgradeRunner(database: database, registry: registry, logger: logger).run(options)
            }
            #expect(error?.message.contains("--workspace-id") == true)

            var zero = UpgradeOptions()
            zero.workspaceCountLimit = 0
            await #expect(throws: UpgradeOptions.Invalid.self) {
                try await UpgradeRunner(database: database, registry: registry, logger: logger).run(zero)
            }
            let after = try await UpgradeFixtures.scalar(#"SELECT count(*)::int FROM core."upgradeMigration""#, as: Int.self, in: database)
            #expect(before == after)
            #expect(try await UpgradeFixtures.runCounts("Step", in: database).values.allSatisfy { $0 == 0 })
        }
    }

    /// Installs the shipped commands, adds `count` workspaces and returns their ids in PostgreSQL's uuid order.
    static func installWithWorkspaces(_ count: Int, in database: Database) async throws -> [UUID] {
        let logger = UpgradeFixtures.logger
        _ = try await UpgradeRunner(database: database, registry: try UpgradeFixtures.registry(), logger: logger).run(UpgradeOptions())
        _ = try await UpgradeFixtures.makeWorkspaces(count, in: database)
        var ids: [UUID] = []
        for try await id in try await database.query(#"SELECT id FROM core."workspace" ORDER BY id"#, logger: logger).decode(UUID.self) {
            ids.append(id)
        }
        return ids
    }
}
