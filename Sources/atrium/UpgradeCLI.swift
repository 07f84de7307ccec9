import ArgumentParser
import AtriumCore
import Foundation

/// `atrium upgrade`: runs every pending upgrade step, or reports where things stand.
struct UpgradeCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Upgrade the instance and every workspace to this build.",
        subcommands: [UpgradeRunCLI.self, UpgradeStatusCLI.self],
        defaultSubcommand: UpgradeRunCLI.self
    )
}

/// `atrium upgrade [run]`.
struct UpgradeRunCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run pending instance commands, then workspace commands workspace by workspace (the default)."
    )

    @Flag(name: .long, help: "Show what would run; change nothing.")
    var dryRun = false

    @Option(name: .customLong("workspace-id"), help: "Only upgrade this workspace (repeatable).")
    var workspaceIDs: [String] = []

    @Option(
        name: .customLong("start-from-workspace-id"),
        help: "Start at this workspace: workspaces are processed in ascending id order (not with --workspace-id)."
    )
    var startFromWorkspaceID: String?

    @Option(name: .long, help: "Process at most this many workspaces, in ascending id order; the summary says where the next batch starts.")
    var workspaceCountLimit: Int?

    @Option(name: .long, help: "Workspaces upgraded at once (default: the number of cores).")
    var concurrency: Int?

    @Flag(name: .long, help: "Wait for a running upgrade to finish instead of refusing.")
    var wait = false

    func run() async throws {
        var options = UpgradeOptions()
        options.dryRun = dryRun
        options.waitForLock = wait
        options.workspaceIDs = try workspaceIDs.map { text in
            guard let id = UUID(text: text) else { throw ValidationError("--workspace-id must be a UUID (got \"\(text)\")") }
            return id
        }
        if let startFromWorkspaceID {
            guard let id = UUID(text: startFromWorkspaceID) else {
                throw ValidationError("--start-from-workspace-id must be a UUID (got \"\(startFromWorkspaceID)\")")
            }
            options.startFromWorkspaceID = id
        }
        options.workspaceCountLimit = workspaceCountLimit
        if let concurrency { options.concurrency = concurrency }
        do {
            try options.validate()
        } catch let invalid as UpgradeOptions.Invalid {
            throw ValidationError(invalid.message)
        }
        try await UpgradeInvocation.run(options, label: "atrium.upgrade")
    }
}

/// `atrium run-instance-commands`: the container-start hook.
struct RunInstanceCommandsCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-instance-commands",
        abstract: "Run pending fast instance commands (and slow ones with --include-slow); never workspace commands."
    )

    @Flag(name: .long, help: "Also run slow instance commands.")
    var includeSlow = false

    @Flag(name: .long, help: "Run even when workspaces have not completed the workspace commands before a step.")
    var force = false

    @Flag(name: .long, help: "Wait for a running upgrade to finish instead of refusing.")
    var wait = false

    func run() async throws {
        var options = UpgradeOptions()
        options.instanceCommandsOnly = true
        options.includeSlow = includeSlow
        options.force = force
        options.waitForLock = wait
        try await UpgradeInvocation.run(options, label: "atrium.run-instance-commands")
    }
}

/// The shared body of `upgrade` and `run-instance-commands`.
enum UpgradeInvocation {
    static func run(_ options: UpgradeOptions, label: String) async throws {
        let environment = try CommandEnvironment.load(label: label)
        let registry: UpgradeRegistry
        do {
            registry = try UpgradeRegistry.shipped()
        } catch {
            CommandEnvironment.fail("cannot load upgrade commands: \(error)")
        }
        let report: UpgradeReport
        do {
            report = try await environment.withDatabase { database in
                try await UpgradeRunner(database: database, registry: registry, logger: environment.logger, observer: StderrUpgradeProgress())
                    .run(options)
            }
        } catch let busy as UpgradeLock.Busy {
            CommandEnvironment.fail(busy.description)
        }
        FileHandle.standardError.write(Data(UpgradeSummary(report: report).text.utf8))
        if report.failed { throw ExitCode.failure }
    }
}
