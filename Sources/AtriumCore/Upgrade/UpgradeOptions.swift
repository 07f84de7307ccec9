import Foundation

/// How an upgrade run behaves.
public struct UpgradeOptions: Sendable {
    /// Report what would run; write nothing.
    public var dryRun = false
    /// Only these workspaces take part in workspace steps (all active and suspended ones when empty).
    public var workspaceIDs: [UUID] = []
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
}
