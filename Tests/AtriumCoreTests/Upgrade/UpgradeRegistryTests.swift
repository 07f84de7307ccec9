import AtriumCore
import AtriumTestSupport
import Foundation
import PostgresNIO
import Logging
import Testing

@Suite struct UpgradeRegistryTests {
    let noop: UpgradeCommand.Statement = { _, _ in }

    @Test func ordersByVersionThenKindThenTimestamp() throws {
        let v1 = SemanticVersion(1, 9, 0)
        let v2 = SemanticVersion(1, 10, 0)
        let registry = try UpgradeRegistry([
            .workspace(v1, 5, "W1") { _, _, _ in },
            .slow(v1, 1, "S1", dataMigration: { _, _ in }, up: noop, down: noop),
            .fast(v2, 1, "F2", up: noop, down: noop),
            .fast(v1, 9, "F1b", up: noop, down: noop),
            .fast(v1, 2, "F1a", up: noop, down: noop),
        ])
        #expect(registry.steps.map(\.className) == ["F1a", "F1b", "S1", "W1", "F2"])
        #expect(registry.steps.first?.name == "1.9.0_F1a_2")
        #expect(registry.workspaceStepNames == ["1.9.0_W1_5"])
    }

    @Test func duplicateTimestampWithinAKindFailsLoudly() {
        let version = SemanticVersion(1, 0, 0)
        #expect(throws: UpgradeRegistry.Conflict.self) {
            try UpgradeRegistry([.fast(version, 7, "A", up: noop, down: noop), .fast(version, 7, "B", up: noop, down: noop)])
        }
    }

    @Test func duplicateNameFailsLoudly() {
        let version = SemanticVersion(1, 0, 0)
        #expect(throws: UpgradeRegistry.Conflict.self) {
            try UpgradeRegistry([.fast(version, 7, "A", up: noop, down: noop), .slow(version, 7, "A", dataMigration: { _, _ in }, up: noop, down: noop)])
        }
    }

    @Test func semanticVersionsCompareNumerically() {
        #expect(SemanticVersion("1.10.0")! > SemanticVersion("1.9.3")!)
        #expect(SemanticVersion("1.2") == nil)
        #expect(SemanticVersion("a.b.c") == nil)
    }

    @Test func shippedMigrationsLoad() throws {
        let commands = try MigrationDirectory.commands(in: [TestEnvironment.packageRoot.appendingPathComponent("Migrations")])
        #expect(!commands.isEmpty)
        #expect(commands.first?.name.hasPrefix("0.1.0_CreateWorkspaceTable_") == true)
    }

    @Test func migrationFilesAreValidated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atrium-migrations-\(UUID())")
        let version = folder.appendingPathComponent("1.0.0")
        try FileManager.default.createDirectory(at: version, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "-- atrium:up\nSELECT 1;\n".write(to: version.appendingPathComponent("1-no-down.sql"), atomically: true, encoding: .utf8)
        #expect { try MigrationDirectory.commands(in: [folder]) } throws: { "\($0)".contains("atrium:down") }
        try FileManager.default.removeItem(at: version.appendingPathComponent("1-no-down.sql"))
        try "-- atrium:kind slow\n-- atrium:up\nSELECT 1;\n-- atrium:down\nSELECT 1;\n"
            .write(to: version.appendingPathComponent("2-slow-without-data.sql"), atomically: true, encoding: .utf8)
        #expect { try MigrationDirectory.commands(in: [folder]) } throws: { "\($0)".contains("atrium:data") }
        try FileManager.default.removeItem(at: version.appendingPathComponent("2-slow-without-data.sql"))
        try "SELECT 1;".write(to: version.appendingPathComponent("notimestamp.sql"), atomically: true, encoding: .utf8)
        #expect { try MigrationDirectory.commands(in: [folder]) } throws: { "\($0)".contains("timestamp") }
    }
}
