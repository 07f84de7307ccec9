import AtriumCore
import AtriumTestSupport
import Foundation
import Testing

/// The binary carries `config/defaults.json` and `Migrations/` as they were at build time; the environment still
/// overrides both.
@Suite struct ShippedFilesTests {
    static let migrations = TestEnvironment.packageRoot.appendingPathComponent("Migrations")
    static let defaults = TestEnvironment.packageRoot.appendingPathComponent("config/defaults.json")

    @Test func embeddedMigrationsAreTheRepositorysFilesInOrder() throws {
        let embedded = try MigrationDirectory.shippedCommands(environment: [:]).map(\.name)
        #expect(!embedded.isEmpty)
        #expect(embedded == (try MigrationDirectory.commands(in: [Self.migrations]).map(\.name)))
        #expect(try UpgradeRegistry(MigrationDirectory.shippedCommands(environment: [:])).steps.map(\.name)
            == UpgradeRegistry(MigrationDirectory.commands(in: [Self.migrations])).steps.map(\.name))
    }

    @Test func migrationsDirReplacesTheEmbeddedFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atrium-shipped-\(UUID())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("9.0.0/workspace"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "SELECT 1;".write(to: folder.appendingPathComponent("9.0.0/workspace/1-only-this.sql"), atomically: true, encoding: .utf8)
        let commands = try MigrationDirectory.shippedCommands(environment: ["ATRIUM_MIGRATIONS_DIR": folder.path])
        #expect(commands.map(\.name) == ["9.0.0_OnlyThis_1"])
        #expect(commands.first?.kind == .workspace)
    }

    @Test func embeddedDefaultsAreTheRepositorysFile() throws {
        let embedded = try ConfigurationValues.load(environment: [:]).values
        #expect(embedded["PORT"] == "3000")
        var fromFile = try ConfigurationValues.load(environment: ["ATRIUM_CONFIG_FILE": Self.defaults.path]).values
        fromFile["ATRIUM_CONFIG_FILE"] = nil  // the environment is laid over the values, this variable too
        #expect(embedded == fromFile)
    }

    @Test func aConfigFileOverridesSomeDefaultsAndTheEnvironmentWinsOverBoth() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("atrium-defaults-\(UUID()).json")
        try #"{"PORT": 4000, "LOG_LEVEL": "debug"}"#.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let values = try ConfigurationValues.load(environment: ["ATRIUM_CONFIG_FILE": file.path, "LOG_LEVEL": "warning"])
        #expect(values["PORT"] == "4000")
        #expect(values["LOG_LEVEL"] == "warning")
        #expect(values["REDIS_POOL_SIZE"] == "2")  // from the embedded defaults
    }
}
