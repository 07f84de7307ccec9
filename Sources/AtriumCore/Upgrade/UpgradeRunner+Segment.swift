import Foundation
import Logging
import PostgresNIO

extension UpgradeRunner {
    /// Runs a segment of consecutive workspace steps in every selected workspace (see ``UpgradeOptions``' workspace
    /// filters), `options.concurrency` at a time.
    /// Each step runs in its own transaction per workspace; a failure stops that workspace's segment, not the others.
    func runSegment(
        _ segment: [UpgradeCommand],
        options: UpgradeOptions,
        state: inout UpgradeLedger.State,
        report: inout UpgradeReport
    ) async throws {
        let selection = try await WorkspaceDirectory.selected(by: options, database: database, logger: logger)
        if let next = selection.nextWorkspaceID { report.nextWorkspaceID = next }
        let workspaces = selection.workspaces
        let work: [(WorkspaceTarget, [UpgradeCommand])] = workspaces.compactMap { workspace in
            let pending = segment.filter { !state.isCompleted($0.name, workspace: workspace.id) }
            return pending.isEmpty ? nil : (workspace, pending)
        }
        guard !work.isEmpty else { return }
        observer?.segmentStarted(steps: segment.map(\.name), workspaces: work.count)

        var done = 0
        var failed = 0
        let dryRun = options.dryRun
        try await withThrowingTaskGroup(of: WorkspaceOutcome.self) { group in
            var next = 0
            func launch() {
                let (workspace, steps) = work[next]
                next += 1
                group.addTask { try await self.upgrade(workspace, steps: steps, dryRun: dryRun) }
            }
            for _ in 0..<min(max(1, options.concurrency), work.count) { launch() }
            while let outcome = try await group.next() {
                done += 1
                for name in outcome.completed {
                    state.mark(name, workspace: outcome.workspace, status: .completed, error: nil)
                }
                report.workspaceStepsRun += outcome.completed.count
                if let failure = outcome.failure {
                    failed += 1
                    state.mark(failure.step, workspace: outcome.workspace, status: .failed, error: failure.error)
                    report.workspaceFailures.append(failure)
                }
                observer?.workspaceFinished(done: done, total: work.count, failed: failed)
                if next < work.count { launch() }
            }
        }
        report.workspacesTouched += work.count
    }

    /// What happened in one workspace.
    struct WorkspaceOutcome: Sendable {
        let workspace: UUID
        var completed: [String] = []
        var failure: UpgradeReport.WorkspaceFailure?
    }

    /// Runs `steps` in one workspace, stopping at its first failure, which is recorded in the ledger.
    private func upgrade(_ workspace: WorkspaceTarget, steps: [UpgradeCommand], dryRun: Bool) async throws -> WorkspaceOutcome {
        var outcome = WorkspaceOutcome(workspace: workspace.id)
        for step in steps {
            if dryRun {
                outcome.completed.append(step.name)
                continue
            }
            guard let run = step.workspace else { continue }
            do {
                try await database.withTransaction(logger: logger) { connection in
                    try await run(connection, workspace, logger)
                    try await UpgradeLedger.record(step.name, status: .completed, workspace: workspace.id, on: connection, logger: logger)
                }
                outcome.completed.append(step.name)
            } catch {
                let message = Self.describe(error)
                logger.warning("workspace step failed", metadata: [
                    "step": .string(step.name), "workspace": .string(workspace.id.lowercased), "error": .string(message),
                ])
                try await ledger.recordFailure(step.name, workspace: workspace.id, error: message, logger: logger)
                outcome.failure = .init(workspaceID: workspace.id, step: step.name, error: message)
                break
            }
        }
        return outcome
    }
}
