import Foundation
import Logging

/// Where the instance and each workspace stand against this build's upgrade sequence (`atrium upgrade status`).
public struct UpgradeStatus: Sendable, Codable {
    /// A scope's standing.
    public enum Health: String, Sendable, Codable {
        case upToDate = "UP_TO_DATE"
        case behind = "BEHIND"
        case failed = "FAILED"
    }

    /// The instance's standing.
    public struct Instance: Sendable, Codable {
        public let version: String
        public let health: Health
        /// The last instance step in sequence order that has completed.
        public let position: String?
        public let pendingSteps: [String]
        public let failedStep: String?
        public let error: String?
    }

    /// One workspace's standing.
    public struct Workspace: Sendable, Codable {
        public let id: UUID
        public let schema: String
        public let health: Health
        public let pendingSteps: Int
        public let failedStep: String?
        public let error: String?
    }

    public let instance: Instance
    public let workspaces: [Workspace]

    /// Reads the ledger and the active or suspended workspaces. Writes nothing.
    public static func read(database: Database, registry: UpgradeRegistry, logger: Logger) async throws -> UpgradeStatus {
        let state = try await UpgradeLedger(database: database).read(logger: logger)
        let instanceSteps = registry.steps.filter { $0.kind != .workspace }.map(\.name)
        let workspaceSteps = registry.workspaceStepNames
        let pending = instanceSteps.filter { !state.isCompleted($0) }
        let failedInstance = pending.first { state.instance[$0]?.status == .failed }
        let instance = Instance(
            version: AtriumVersion.current.description,
            health: failedInstance != nil ? .failed : (pending.isEmpty ? .upToDate : .behind),
            position: instanceSteps.last { state.isCompleted($0) },
            pendingSteps: pending,
            failedStep: failedInstance,
            error: failedInstance.flatMap { state.instance[$0]?.errorMessage }
        )
        let workspaces = try await WorkspaceDirectory.activeOrSuspended(database: database, logger: logger).map { workspace in
            let attempts = state.workspaces[workspace.id] ?? [:]
            let pendingSteps = workspaceSteps.filter { attempts[$0]?.status != .completed }
            let failed = pendingSteps.first { attempts[$0]?.status == .failed }
            return Workspace(
                id: workspace.id,
                schema: workspace.schema.name,
                health: failed != nil ? .failed : (pendingSteps.isEmpty ? .upToDate : .behind),
                pendingSteps: pendingSteps.count,
                failedStep: failed,
                error: failed.flatMap { attempts[$0]?.errorMessage }
            )
        }
        return UpgradeStatus(instance: instance, workspaces: workspaces)
    }
}
