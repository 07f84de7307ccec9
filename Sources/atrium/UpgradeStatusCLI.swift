import ArgumentParser
import AtriumCore
import Foundation

/// `atrium upgrade status [--json]`: the instance's position and each workspace's health.
struct UpgradeStatusCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show where the instance and each workspace stand.")

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() async throws {
        let environment = try CommandEnvironment.load(label: "atrium.upgrade.status")
        let registry = try UpgradeRegistry.shipped()
        let status = try await environment.withDatabase { database in
            try await UpgradeStatus.read(database: database, registry: registry, logger: environment.logger)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(StatusOutput(status)), as: UTF8.self))
            return
        }
        let instance = status.instance
        print("instance  version \(instance.version)  \(instance.health.rawValue)  position \(instance.position ?? "none")")
        for step in instance.pendingSteps { print("  pending \(step)") }
        if let failed = instance.failedStep { print("  FAILED \(failed): \(instance.error ?? "")") }
        let counts = Dictionary(grouping: status.workspaces, by: \.health).mapValues(\.count)
        print("workspaces  \(status.workspaces.count)  UP_TO_DATE \(counts[.upToDate] ?? 0)  BEHIND \(counts[.behind] ?? 0)  FAILED \(counts[.failed] ?? 0)")
        for workspace in status.workspaces where workspace.health != .upToDate {
            let detail = workspace.failedStep.map { " \($0): \(workspace.error ?? "")" } ?? " \(workspace.pendingSteps) step(s) pending"
            print("  \(workspace.id.lowercased)  \(workspace.health.rawValue)\(detail)")
        }
    }
}

extension UpgradeStatusCLI {
    /// `upgrade status --json`: ``UpgradeStatus`` with workspace ids in lower case (Foundation writes a `UUID` upper-case).
    struct StatusOutput: Encodable {
        struct Workspace: Encodable {
            let id: String
            let schema: String
            let health: UpgradeStatus.Health
            let pendingSteps: Int
            let failedStep: String?
            let error: String?
        }

        let instance: UpgradeStatus.Instance
        let workspaces: [Workspace]

        init(_ status: UpgradeStatus) {
            instance = status.instance
            workspaces = status.workspaces.map {
                Workspace(id: $0.id.lowercased, schema: $0.schema, health: $0.health, pendingSteps: $0.pendingSteps,
                          failedStep: $0.failedStep, error: $0.error)
            }
        }
    }
}
