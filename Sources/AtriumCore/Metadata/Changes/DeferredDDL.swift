import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// DDL that must not run inside a metadata change's transaction because its cost grows with the data: index builds
/// (`CREATE INDEX CONCURRENTLY IF NOT EXISTS`, which cannot run in a transaction) and foreign key validation
/// (`VALIDATE CONSTRAINT`, which takes only a SHARE UPDATE EXCLUSIVE lock). Both are idempotent.
public struct DeferredDDLTask: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case createIndex
        case validateConstraint
    }

    public var kind: Kind
    public var schemaName: String
    /// The index or constraint name.
    public var objectName: String
    /// Trusted text built from validated identifiers.
    public var statement: String
}

/// Records deferred DDL in the change's transaction (`core."workspaceDeferredDDL"`) and runs it after the commit.
///
/// Recording in the same transaction is what makes a crash between the commit and the index build repairable: the
/// tasks stay in the table until they succeed, and ``runPending(workspace:logger:)`` (called after every change, and at
/// start by ``run()``) completes them. A task whose table or column has since been dropped is discarded.
///
/// ```swift
/// let deferred = DeferredDDLRunner(database: database, logger: logger)
/// app.addServices(deferred)          // runs what earlier processes left, then what changes signal
/// deferred.signal()                  // after a change commits
/// ```
public final class DeferredDDLRunner: Service, Sendable {
    /// What one pass did.
    public struct Report: Sendable, Equatable {
        public var completed = 0
        public var discarded = 0
        public var failed = 0
    }

    let database: Database
    let logger: Logger
    private let wakeups: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
        (wakeups, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the running service to run the pending tasks.
    public func signal() {
        continuation.yield()
    }

    /// Runs pending tasks at start and whenever ``signal()`` is called, until graceful shutdown.
    ///
    /// Graceful shutdown cancels a pass in flight too: one waiting for an unreachable PostgreSQL would otherwise hold
    /// the shutdown until the pool gives up (a minute). An interrupted task stays recorded and runs at the next start.
    public func run() async throws {
        continuation.yield()
        try await cancelWhenGracefulShutdown {
            for await _ in self.wakeups {
                do {
                    _ = try await self.runPending(workspace: nil, logger: self.logger)
                } catch where !Task.isCancelled {
                    self.logger.warning("Deferred DDL pass failed", metadata: ["error": "\(String(reflecting: error))"])
                } catch {
                    return
                }
            }
        }
    }

    /// Records `tasks` for `workspace` on the caller's transaction.
    static func record(_ tasks: [DeferredDDLTask], workspace: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        for task in tasks {
            try await connection.query("""
                INSERT INTO core."workspaceDeferredDDL" ("workspaceId", "kind", "schemaName", "objectName", "statement")
                VALUES (\(workspace), \(task.kind.rawValue), \(task.schemaName), \(task.objectName), \(task.statement))
                """, logger: logger)
        }
    }

    /// Runs every pending task (of `workspace`, or of all workspaces), oldest first; each is deleted once done.
    /// Tasks another process is running are skipped.
    @discardableResult
    public func runPending(workspace: UUID?, logger: Logger) async throws -> Report {
        let rows = try await database.query("""
            SELECT "id", "kind", "schemaName", "objectName", "statement" FROM core."workspaceDeferredDDL"
            WHERE (\(workspace)::uuid IS NULL OR "workspaceId" = \(workspace)) AND "attempts" < 5 ORDER BY "id"
            """, logger: logger)
        var tasks: [(Int64, DeferredDDLTask)] = []
        for try await (id, kind, schema, name, statement) in rows.decode((Int64, String, String, String, String).self) {
            tasks.append((id, DeferredDDLTask(kind: DeferredDDLTask.Kind(rawValue: kind) ?? .createIndex, schemaName: schema,
                                              objectName: name, statement: statement)))
        }
        var report = Report()
        for (id, task) in tasks {
            switch try await run(task, id: id, logger: logger) {
            case .completed: report.completed += 1
            case .discarded: report.discarded += 1
            case .failed: report.failed += 1
            case .busy: break
            }
        }
        return report
    }

    private enum Outcome { case completed, discarded, failed, busy }

    private func run(_ task: DeferredDDLTask, id: Int64, logger: Logger) async throws -> Outcome {
        try await database.withConnection { connection in
            let key = Int32(truncatingIfNeeded: id)
            var acquired = false
            for try await value in try await connection.query("SELECT pg_try_advisory_lock(74117, \(key))", logger: logger).decode(Bool.self) {
                acquired = value
            }
            guard acquired else { return .busy }
            let outcome: Outcome
            do {
                outcome = try await self.attempt(task, id: id, on: connection, logger: logger)
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(74117, \(key))", logger: logger)
                throw error
            }
            _ = try? await connection.query("SELECT pg_advisory_unlock(74117, \(key))", logger: logger)
            return outcome
        }
    }

    private func attempt(_ task: DeferredDDLTask, id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> Outcome {
        // Done by another process meanwhile?
        var stillPending = false
        for try await _ in try await connection.query(#"SELECT 1 FROM core."workspaceDeferredDDL" WHERE "id" = \#(id)"#, logger: logger) {
            stillPending = true
        }
        guard stillPending else { return .busy }
        do {
            if task.kind == .createIndex {
                // A failed concurrent build leaves an INVALID index that IF NOT EXISTS would keep: drop it first.
                let invalid = try await connection.query("""
                    SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = \(task.schemaName) AND c.relname = \(task.objectName) AND NOT i.indisvalid
                    """, logger: logger)
                var isInvalid = false
                for try await _ in invalid { isInvalid = true }
                if isInvalid {
                    let index = try SQLIdentifier(task.objectName)
                    let schema = try SQLIdentifier(task.schemaName)
                    try await connection.query(PostgresQuery(unsafeSQL: "DROP INDEX CONCURRENTLY IF EXISTS \(schema).\(index)"), logger: logger)
                }
            }
            try await connection.query(PostgresQuery(unsafeSQL: task.statement), logger: logger)
            try await connection.query(#"DELETE FROM core."workspaceDeferredDDL" WHERE "id" = \#(id)"#, logger: logger)
            return .completed
        } catch let error as PSQLError {
            // The table, column or constraint is gone (dropped by a later change): nothing left to do.
            if DatabaseFailure(error) == .missingDatabaseObject {
                try await connection.query(#"DELETE FROM core."workspaceDeferredDDL" WHERE "id" = \#(id)"#, logger: logger)
                return .discarded
            }
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            logger.warning("Deferred DDL failed; it will be retried", metadata: [
                "statement": "\(task.statement)", "sqlState": "\(DatabaseFailure.sqlState(of: error) ?? "")", "error": "\(message)",
            ])
            try await connection.query("""
                UPDATE core."workspaceDeferredDDL" SET "attempts" = "attempts" + 1, "lastError" = \(message) WHERE "id" = \(id)
                """, logger: logger)
            return .failed
        }
    }
}
