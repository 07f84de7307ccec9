@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Testing

/// `atrium migrate generate`: new command files land in the right place, after every existing command, and load.
struct MigrationGeneratorTests {
    /// A copy of the shipped Migrations folder in a temporary directory.
    static func scratchMigrations() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atrium-migrations-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestEnvironment.packageRoot.appendingPathComponent("Migrations"), to: folder)
        return folder
    }

    @Test func eachKindIsWrittenRegisteredAndOrderedAfterTheExistingCommands() throws {
        let folder = try Self.scratchMigrations()
        defer { try? FileManager.default.removeItem(at: folder) }
        let shipped = try UpgradeRegistry(MigrationDirectory.commands(in: [folder]))
        let latest = try #require(shipped.steps.map(\.timestamp).max())
        let past = Date(timeIntervalSince1970: 1)  // a clock behind the files: timestamps still go forward

        let fast = try MigrationGenerator.generate(name: "add-foo-bar-columns", kind: .fast, in: folder, now: past)
        let slow = try MigrationGenerator.generate(name: "backfill-foo", kind: .slow, in: folder, now: past)
        let workspace = try MigrationGenerator.generate(name: "add-foo-index", kind: .workspace, version: SemanticVersion(0, 2, 0), in: folder, now: past)
        #expect(fast.path.hasPrefix(folder.appendingPathComponent("0.1.0").path))
        #expect(fast.lastPathComponent == "\(latest + 1)-add-foo-bar-columns.sql")
        #expect(slow.lastPathComponent == "\(latest + 2)-backfill-foo.sql")
        #expect(workspace.deletingLastPathComponent().path == folder.appendingPathComponent("0.2.0/workspace").path)

        let registry = try UpgradeRegistry(MigrationDirectory.commands(in: [folder]))
        #expect(registry.steps.count == shipped.steps.count + 3)
        let added = registry.steps.filter { $0.timestamp > latest }
        #expect(added.map(\.name) == ["0.1.0_AddFooBarColumns_\(latest + 1)", "0.1.0_BackfillFoo_\(latest + 2)", "0.2.0_AddFooIndex_\(latest + 3)"])
        #expect(added.map(\.kind) == [.fast, .slow, .workspace])
        #expect(try String(contentsOf: slow, encoding: .utf8).contains("-- atrium:data"))
    }

    @Test func badNamesAndDuplicatesAreRefusedAndWriteNothing() throws {
        let folder = try Self.scratchMigrations()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try MigrationDirectory.files(in: folder).count
        for name in ["AddFoo", "add_foo", "add--foo", "", "add-foo-", "create-workspace-table"] {
            #expect(throws: MigrationGenerator.Refused.self, "\(name)") {
                _ = try MigrationGenerator.generate(name: name, kind: .fast, in: folder)
            }
        }
        #expect(try MigrationDirectory.files(in: folder).count == before)
    }
}
