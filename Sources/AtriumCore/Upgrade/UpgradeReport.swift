import Foundation

/// What an upgrade run did.
public struct UpgradeReport: Sendable {
    /// One workspace step that failed in one workspace.
    public struct WorkspaceFailure: Sendable, Hashable {
        public let workspaceID: UUID
        public let step: String
        public let error: String
    }

    /// Instance steps applied (or, in a dry run, that would be).
    public var instanceStepsRun: [String] = []
    /// Workspace step executions that completed (or would, in a dry run).
    public var workspaceStepsRun = 0
    /// Workspaces that took part in at least one workspace step.
    public var workspacesTouched = 0
    /// Workspace steps that failed, with their errors.
    public var workspaceFailures: [WorkspaceFailure] = []
    /// The instance step that failed, with its error.
    public var instanceFailure: (step: String, error: String)?
    /// Why the run stopped before the end of the sequence, when it did (a barrier, a pending slow command).
    public var stoppedBecause: String?
    /// When `workspaceCountLimit` cut the selection: the first workspace left out, where the next batch starts
    /// (`--start-from-workspace-id`).
    public var nextWorkspaceID: UUID?
    /// Whether nothing was written.
    public var dryRun = false
    /// Wall time of the run.
    public var duration: Duration = .zero

    /// Whether anything failed.
    public var failed: Bool { instanceFailure != nil || !workspaceFailures.isEmpty }
}

/// Receives progress of a run, for the CLI's stderr lines.
public protocol UpgradeObserver: Sendable {
    /// An instance step starts.
    func instanceStepStarted(_ name: String, kind: UpgradeStepKind)
    /// A workspace segment starts over `workspaces` workspaces.
    func segmentStarted(steps: [String], workspaces: Int)
    /// One workspace finished its part of the segment.
    func workspaceFinished(done: Int, total: Int, failed: Int)
}
