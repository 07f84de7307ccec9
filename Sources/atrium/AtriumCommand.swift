import ArgumentParser

/// The `atrium` command line: the server and its operations.
@main
struct AtriumCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atrium",
        abstract: "Atrium, an open-source CRM server compatible with Twenty's APIs.",
        subcommands: [ServeCommand.self, WorkerCommand.self, UpgradeCLI.self, RunInstanceCommandsCLI.self, WorkspaceCLI.self, APIKeyCLI.self, ImportCLI.self, MigrateCLI.self],
        defaultSubcommand: ServeCommand.self
    )
}
