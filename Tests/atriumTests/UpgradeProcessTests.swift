import AtriumCore
import AtriumTestSupport
import Foundation
import PostgresNIO
import Logging
import Testing

/// `atrium upgrade` as a process: killed mid-run, then run again.
@Suite(.tags(.integration)) struct UpgradeProcessTests {
    let logger = Logger(label: "test.upgrade.process")

    @Test func killedMidRunTheRerunCompletesWithNoStepAppliedTwice() async throws {
        try await TestDatabase.withFresh { database, settings in
            let fixtures = FileManager.default.temporaryDirectory.appendingPathComponent("atrium-upgrade-kill-\(UUID())")
            let folder = fixtures.appendingPathComponent("9.0.0/workspace")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: fixtures) }
            // Not idempotent on purpose: ADD COLUMN fails if applied twice in one workspace.
            try """
                SELECT pg_sleep(0.1);
                ALTER TABLE {{schema}}."runs" ADD COLUMN "added" integer;
                INSERT INTO {{schema}}."runs" (step) VALUES ('SlowAddColumn');
                """.write(to: folder.appendingPathComponent("1-slow-add-column.sql"), atomically: true, encoding: .utf8)
            let environment = [
                "PG_DATABASE_URL": SyntheticWorkspaces.url(for: settings),
                "ATRIUM_MIGRATIONS_DIR": TestEnvironment.packageRoot.appendingPathComponent("Migrations").path + ":" + fixtures.path,
                "LOG_LEVEL": "error",
            ]
            let install = try AtriumProcess.launch(["upgrade"], environment: environment)
            #expect(try await AtriumProcess.waitForExit(install, within: .seconds(60)))
            #expect(install.terminationStatus == 0)

            // The first run created core and applied the (empty-workspace) segment; add workspaces and a new run.
            _ = try await SyntheticWorkspaces.make(60, in: database, logger: logger)
            let killed = try AtriumProcess.launch(["upgrade", "--concurrency", "2"], environment: environment)
            var completed = 0
            for _ in 0..<400 where completed < 5 {
                try await Task.sleep(for: .milliseconds(25))
                completed = try await Self.completedRows(database)
            }
            kill(killed.processIdentifier, SIGKILL)
            _ = try await AtriumProcess.waitForExit(killed, within: .seconds(10))
            let afterKill = try await Self.completedRows(database)
            #expect(afterKill >= 5)
            #expect(afterKill < 60, "the run finished before it could be killed; the test proves nothing")

            let rerun = try AtriumProcess.launch(["upgrade"], environment: environment)
            #expect(try await AtriumProcess.waitForExit(rerun, within: .seconds(60)))
            #expect(rerun.terminationStatus == 0)
            #expect(try await Self.completedRows(database) == 60)
            let duplicated = try await database.query(#"""
                SELECT count(*)::int FROM core."upgradeMigration"
                WHERE name LIKE '9.0.0_SlowAddColumn_%' AND status <> 'completed'
                """#, logger: logger).decode(Int.self)
            for try await failures in duplicated { #expect(failures == 0) }
        }
    }

    @Test func startFromWorkspaceIDWithWorkspaceIDIsRefusedInOneLine() async throws {
        let first = UUID().uuidString, second = UUID().uuidString
        let cases: [([String], String)] = [
            (["upgrade", "--workspace-id", first, "--start-from-workspace-id", second], "cannot be combined with --workspace-id"),
            (["upgrade", "--start-from-workspace-id", "not-a-uuid"], "--start-from-workspace-id must be a UUID"),
            (["upgrade", "--workspace-count-limit", "0"], "--workspace-count-limit must be at least 1"),
        ]
        for (arguments, message) in cases {
            // Refused while parsing, before any connection: an unreachable database proves nothing was touched.
            let (process, _, errors) = try AtriumProcess.launchCapturing(arguments, environment: [
                "PG_DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:1/none", "LOG_LEVEL": "error",
            ])
            #expect(try await AtriumProcess.waitForExit(process, within: .seconds(30)))
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 64, "\(arguments): \(text)")
            #expect(text.contains(message), "\(arguments): \(text)")
        }
    }

    static func completedRows(_ database: Database) async throws -> Int {
        let rows = try await database.query(#"""
            SELECT count(*)::int FROM core."upgradeMigration" WHERE name LIKE '9.0.0_SlowAddColumn_%' AND status = 'completed'
            """#, logger: Logger(label: "test"))
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
