import Foundation
import Logging
import PostgresNIO

/// Runs the upgrade sequence: pending instance commands, and workspace commands workspace by workspace.
///
/// - Every step's change and its `completed` row commit in one transaction, so re-running resumes exactly where a
///   previous run stopped (even one killed mid-way) and a completed step never runs twice.
/// - A workspace that fails is recorded and reported; the others go on. The next instance step then waits (the
///   barrier) until every active or suspended workspace has completed the steps before it.
/// - A PostgreSQL advisory lock keeps two runs from overlapping.
///
/// ```swift
/// let report = try await UpgradeRunner(database: database, registry: .shipped(), logger: logger).run(UpgradeOptions())
/// ```
public struct UpgradeRunner: Sendable {
    let database: Database
    let registry: UpgradeRegistry
    let ledger: UpgradeLedger
    let logger: Logger
    let observer: (any UpgradeObserver)?

    public init(database: Database, registry: UpgradeRegistry, logger: Logger, observer: (any UpgradeObserver)? = nil) {
        self.database = database
        self.registry = registry
        self.ledger = UpgradeLedger(database: database)
        self.logger = logger
        self.observer = observer
    }

    /// Runs every pending step allowed by `options`.
    /// - Throws: ``UpgradeOptions/Invalid`` for options that cannot be combined (before anything is read or locked);
    ///   ``UpgradeLock/Busy`` when another upgrade holds the lock and `waitForLock` is off; database errors outside
    ///   steps (a step's own failure is recorded and reported, not thrown).
    public func run(_ options: UpgradeOptions) async throws -> UpgradeReport {
        try options.validate()
        let start = ContinuousClock.now
        var report = try await UpgradeLock.withLock(database: database, wait: options.waitForLock, logger: logger) {
            try await runLocked(options)
        }
        report.duration = start.duration(to: .now)
        return report
    }

    private func runLocked(_ options: UpgradeOptions) async throws -> UpgradeReport {
        var report = UpgradeReport()
        report.dryRun = options.dryRun
        if !options.dryRun { try await ledger.bootstrap(logger: logger) }
        var state = try await ledger.read(logger: logger)
        let steps = registry.steps
        var index = 0
        while index < steps.count {
            let step = steps[index]
            if step.kind == .workspace {
                let end = steps[index...].firstIndex { $0.kind != .workspace } ?? steps.count
                let segment = Array(steps[index..<end])
                if !options.instanceCommandsOnly {
                    try await runSegment(segment, options: options, state: &state, report: &report)
                }
                index = end
                continue
            }
            defer { index += 1 }
            if state.isCompleted(step.name) { continue }
            if options.instanceCommandsOnly, step.kind == .slow, !options.includeSlow {
                report.stoppedBecause = "slow instance command \(step.name) is pending: run `atrium upgrade` or add --include-slow"
                return report
            }
            let workspaces = try await WorkspaceDirectory.activeOrSuspended(database: database, logger: logger)
            if !options.force, let lagging = laggingWorkspaces(before: index, workspaces: workspaces, state: state) {
                report.stoppedBecause = "\(step.name) waits until every active or suspended workspace has completed the steps before it; "
                    + "\(lagging.count) workspace(s) have not (first: \(lagging[0])). Run `atrium upgrade` and see `atrium upgrade status`."
                return report
            }
            observer?.instanceStepStarted(step.name, kind: step.kind)
            if options.dryRun {
                state.mark(step.name, workspace: nil, status: .completed, error: nil)
                report.instanceStepsRun.append(step.name)
                continue
            }
            do {
                try await runInstanceStep(step, hasWorkspaces: !workspaces.isEmpty)
                state.mark(step.name, workspace: nil, status: .completed, error: nil)
                report.instanceStepsRun.append(step.name)
            } catch {
                let message = Self.describe(error)
                logger.error("instance step failed", metadata: ["step": .string(step.name), "error": .string(message)])
                try await ledger.recordFailure(step.name, workspace: nil, error: message, logger: logger)
                report.instanceFailure = (step.name, message)
                return report
            }
        }
        return report
    }

    /// Slow: the data migration (skipped on an instance without active or suspended workspaces), then `up`;
    /// `up` and the ledger row commit together.
    private func runInstanceStep(_ step: UpgradeCommand, hasWorkspaces: Bool) async throws {
        if step.kind == .slow, hasWorkspaces, let dataMigration = step.dataMigration {
            try await dataMigration(database, logger)
        }
        guard let up = step.up else { return }
        try await database.withTransaction(logger: logger) { connection in
            try await up(connection, logger)
            try await UpgradeLedger.record(step.name, status: .completed, workspace: nil, on: connection, logger: logger)
        }
    }

    /// The workspaces that have not completed every workspace step before `index`, or nil when none lags.
    private func laggingWorkspaces(before index: Int, workspaces: [WorkspaceTarget], state: UpgradeLedger.State) -> [UUID]? {
        let previous = registry.steps[..<index].filter { $0.kind == .workspace }.map(\.name)
        guard !previous.isEmpty else { return nil }
        let lagging = workspaces.filter { workspace in previous.contains { !state.isCompleted($0, workspace: workspace.id) } }.map(\.id)
        return lagging.isEmpty ? nil : lagging
    }

    static func describe(_ error: any Error) -> String {
        if let transaction = error as? PostgresTransactionError {
            if let closureError = transaction.closureError { return describe(closureError) }
            if let other = transaction.beginError ?? transaction.commitError ?? transaction.rollbackError { return describe(other) }
        }
        if let error = error as? PSQLError {
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
            return "PostgreSQL: \(message)\(detail)"
        }
        return String(describing: error)
    }
}
