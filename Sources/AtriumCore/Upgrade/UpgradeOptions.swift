import Foundation

/// How an upgrade run behaves.
public struct UpgradeOptions: Sendable {
    /// Report what would run; write nothing.
    public var dryRun = false
    /// Only these workspaces take part in workspace steps (all active and suspended ones when empty).
    public var workspaceIDs: [UUID] = []
    /// Workspace steps start at this workspace: workspaces are taken in id order (PostgreSQL's uuid order) from the
    /// first one whose id is at least this one. Cannot be combined with ``workspaceIDs``.
    public var startFromWorkspaceID: UUID?
    /// At most this many workspaces (in id order, after the other filters) take part in workspace steps, whether
    /// or not they have pending work: batches are deterministic, and the summary names where the next batch starts.
    public var workspaceCountLimit: Int?
    /// Workspaces upgraded at once.
    public var concurrency = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Run instance commands only (`atrium run-instance-commands`): stop at the first workspace step that is pending.
    public var instanceCommandsOnly = false
    /// With `instanceCommandsOnly`: also run slow instance commands.
    public var includeSlow = false
    /// Skip the barrier that makes an instance step wait for every workspace to finish the steps before it.
    public var force = false
    /// Wait for another running upgrade to finish instead of refusing to start.
    public var waitForLock = false

    public init() {}

    /// Whether a workspace filter narrows the run (`--workspace-id`, `--start-from-workspace-id` or `--workspace-count-limit`).
    public var filtersWorkspaces: Bool {
        !workspaceIDs.isEmpty || startFromWorkspaceID != nil || workspaceCountLimit != nil
    }

    /// Checks that the options can be combined.
    /// - Throws: ``UpgradeOptions/Invalid`` when they cannot.
    public func validate() throws {
        if startFromWorkspaceID != nil, !workspaceIDs.isEmpty {
            throw Invalid(message: "--start-from-workspace-id cannot be combined with --workspace-id")
        }
        if let workspaceCountLimit, workspaceCountLimit < 1 {
            throw Invalid(message: "--workspace-count-limit must be at least 1 (got \(workspaceCountLimit))")
        }
        if concurrency < 1 {
            throw Invalid(message: "--concurrency must be at least 1 (got \(concurrency))")
        }
    }

    /// Options that cannot be combined, or out of range.
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        /// What is wrong, naming the options as the CLI spells them.
        public let message: String
        public var description: String { message }
    }
}
