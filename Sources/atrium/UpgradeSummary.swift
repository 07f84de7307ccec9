import AtriumCore
import Foundation

/// The closing table of an upgrade run.
struct UpgradeSummary {
    let report: UpgradeReport

    var text: String {
        var lines = ["", report.dryRun ? "upgrade summary (dry run: nothing was changed)" : "upgrade summary"]
        lines.append(row("instance commands run", report.instanceStepsRun.count))
        for step in report.instanceStepsRun { lines.append("    \(step)") }
        lines.append(row("workspace commands run", report.workspaceStepsRun))
        lines.append(row("workspaces touched", report.workspacesTouched))
        lines.append(row("workspace failures", report.workspaceFailures.count))
        for failure in report.workspaceFailures.prefix(50) {
            lines.append("    \(failure.workspaceID.lowercased)  \(failure.step): \(failure.error)")
        }
        if report.workspaceFailures.count > 50 { lines.append("    … and \(report.workspaceFailures.count - 50) more (atrium upgrade status)") }
        if let failure = report.instanceFailure { lines.append("  FAILED instance command \(failure.step): \(failure.error)") }
        if let reason = report.stoppedBecause { lines.append("  stopped: \(reason)") }
        if let next = report.nextWorkspaceID {
            lines.append("  batch limit reached: continue with --start-from-workspace-id \(next.lowercased)")
        }
        lines.append(row("duration", String(format: "%.2fs", report.duration.seconds)))
        let complete = report.stoppedBecause == nil && report.nextWorkspaceID == nil
        lines.append(report.failed ? "  result: FAILED" : (complete ? "  result: up to date" : "  result: incomplete"))
        return lines.joined(separator: "\n") + "\n"
    }

    private func row(_ label: String, _ value: some CustomStringConvertible) -> String {
        "  " + label.padding(toLength: 28, withPad: " ", startingAt: 0) + value.description
    }
}
