import ArgumentParser
import AtriumCore
import Foundation

/// `atrium migrate`: tools for writing upgrade commands.
struct MigrateCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Write new upgrade commands.",
        subcommands: [MigrateGenerateCLI.self]
    )
}

/// `atrium migrate generate --name add-foo-bar-columns --type fast|slow|workspace [--version X.Y.Z]`.
struct MigrateGenerateCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Create a new upgrade command's file in Migrations/, with a fresh timestamp, ready to fill in."
    )

    @Option(name: .long, help: "The command's name in kebab-case, e.g. add-foo-bar-columns.")
    var name: String

    @Option(name: .customLong("type"), help: "fast | slow (instance commands on core) | workspace (run in every workspace schema).")
    var kind: String

    @Option(name: .long, help: "The version folder (default: the highest present).")
    var version: String?

    func run() async throws {
        guard let kind = MigrationGenerator.Kind(rawValue: kind) else {
            throw ValidationError("--type must be fast, slow or workspace (got \"\(self.kind)\")")
        }
        var target: SemanticVersion?
        if let version {
            guard let parsed = SemanticVersion(version) else { throw ValidationError("--version must be major.minor.patch (got \"\(version)\")") }
            target = parsed
        }
        let folder: URL
        do {
            folder = try MigrationDirectory.sourceFolder()
        } catch let error as ConfigurationError {
            throw ValidationError("\(error)")
        }
        do {
            let file = try MigrationGenerator.generate(name: name, kind: kind, version: target, in: folder)
            print(file.path)
        } catch let refused as MigrationGenerator.Refused {
            throw ValidationError(refused.description)
        }
    }
}
