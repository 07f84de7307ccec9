import Foundation
import Logging
import PostgresNIO

/// Changes a workspace's data model at run time: custom objects and fields, with their DDL.
///
/// Every change runs in ONE transaction through ``WorkspaceSchemaCache/change(_:logger:_:)``: a per-workspace
/// transaction-level advisory lock (so changes in one workspace are serialized), validation against the metadata as
/// it is under that lock, the DDL, the metadata rows and the `metadataVersion` bump. A failure leaves schema and
/// metadata as they were. The DDL inside the transaction does not grow with the data (see ``ChangeDDL``); index
/// builds and foreign key validation are recorded in the same transaction and run after the commit by
/// ``DeferredDDLRunner``.
///
/// ```swift
/// let changes = MetadataChanges(cache: cache, deferred: deferredRunner)
/// let invoice = try await changes.createObject(ObjectCreation(nameSingular: "invoice", namePlural: "invoices",
///     labelSingular: "Invoice", labelPlural: "Invoices"), in: workspaceID, logger: logger)
/// ```
public struct MetadataChanges: Sendable {
    /// When the deferred DDL of a change runs.
    public enum DeferredMode: Sendable {
        /// The runner's service picks it up (the server): the change returns once committed.
        case background
        /// Before the change returns (tools, tests, benchmarks).
        case inline
    }

    let cache: WorkspaceSchemaCache
    let deferred: DeferredDDLRunner
    let mode: DeferredMode

    /// - Parameters:
    ///   - cache: Runs the transaction, bumps the version and shares the new snapshot.
    ///   - deferred: Runs index builds and validations after each commit.
    ///   - mode: Whether a change waits for its deferred DDL.
    public init(cache: WorkspaceSchemaCache, deferred: DeferredDDLRunner, mode: DeferredMode = .background) {
        self.cache = cache
        self.deferred = deferred
        self.mode = mode
    }

    /// The state one change works with, under the workspace's lock.
    struct Context {
        let workspace: UUID
        let schema: WorkspaceSchema
        let connection: PostgresConnection
        let logger: Logger
        let ddl: ChangeDDL
        var plan = ChangeDDL.Plan()

        /// Runs the statements planned so far, in order, and forgets them (the deferred ones are kept).
        mutating func flush() async throws {
            for statement in plan.statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            plan.statements.removeAll()
        }

        /// The column names `table` has now, as the transaction sees them.
        func columns(of table: String) async throws -> Set<String> {
            let rows = try await connection.query("""
                SELECT column_name::text FROM information_schema.columns WHERE table_schema = \(schema.databaseSchema) AND table_name = \(table)
                """, logger: logger)
            var names: Set<String> = []
            for try await name in rows.decode(String.self) { names.insert(name) }
            return names
        }

        /// Whether `table` holds more than one record (reads at most two rows).
        func hasSeveralRecords(_ table: String) async throws -> Bool {
            let query = "SELECT count(*)::int FROM (SELECT 1 FROM \(ddl.schema).\(try SQLIdentifier(table)) LIMIT 2) sample"
            for try await count in try await connection.query(PostgresQuery(unsafeSQL: query), logger: logger).decode(Int.self) { return count > 1 }
            return false
        }

        /// The table of every object, by `nameSingular`.
        var tables: [String: String] {
            Dictionary(schema.objects.map { ($0.nameSingular, $0.targetTableName) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Runs `body` as one metadata change of `workspace`; then runs or schedules its deferred DDL.
    func perform<Result: Sendable>(
        _ workspace: UUID, logger: Logger, _ body: @escaping @Sendable (inout Context) async throws -> Result
    ) async throws -> Result {
        let result: Result
        do {
            (result, _) = try await cache.change(workspace, logger: logger) { connection in
                // One change at a time per workspace (waits for the one in progress, however long it takes).
                try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(workspace.uuidString), 4242))", logger: logger)
                // Then wait for a busy table at most this long rather than queueing every reader behind the DDL's lock.
                try await connection.query("SET LOCAL lock_timeout = '10s'", logger: logger)
                guard let schema = try await WorkspaceSchemaLoader.load(workspace, on: connection, logger: logger) else {
                    throw AtriumError(.notFound, "There is no workspace \(workspace)")
                }
                let ddl = ChangeDDL(schema: try SQLIdentifier(schema.databaseSchema))
                var context = Context(workspace: workspace, schema: schema, connection: connection, logger: logger, ddl: ddl)
                let result = try await body(&context)
                try await context.flush()
                try await DeferredDDLRunner.record(context.plan.deferred, workspace: workspace, on: connection, logger: logger)
                return result
            }
        } catch {
            throw Self.translate(error)
        }
        switch mode {
        case .background: deferred.signal()
        case .inline: try await deferred.runPending(workspace: workspace, logger: logger)
        }
        return result
    }

    /// The client-facing error for a failed change: domain errors as they are, PostgreSQL's by SQLSTATE.
    static func translate(_ error: any Error) -> any Error {
        var error = error
        if let transaction = error as? PostgresTransactionError {
            error = transaction.closureError ?? transaction.beginError ?? transaction.commitError ?? error
        }
        switch error {
        case let error as AtriumError:
            return error
        case let error as FieldDefinitionError:
            return AtriumError(.validationFailed, "Invalid field \(error.field): \(error.reason)", underlying: error)
        case let error as SQLIdentifier.Invalid:
            return AtriumError(.validationFailed, error.description, underlying: error)
        case let error as SQLLiteral.Invalid:
            return AtriumError(.validationFailed, error.description, underlying: error)
        case let error as PSQLError:
            switch DatabaseFailure(error) {
            case .notNullViolation:
                return AtriumError(.validationFailed, "The table already has rows: a non-nullable field needs a default value", underlying: error)
            case .uniqueViolation, .duplicateName:
                return AtriumError(.conflict, "The name is already used", underlying: error)
            case .lockNotAvailable:
                return AtriumError(.retryable, "The table is busy; try the change again", underlying: error)
            case .concurrencyConflict:
                return AtriumError(.retryable, "The change conflicted with another one; try again", retryReason: .concurrencyConflict, underlying: error)
            case .invalidValue, .unstorableText:
                // A data exception (a default like 'soon' for a date) or a type mismatch.
                return AtriumError(.validationFailed, "A value does not fit the field's type", underlying: error)
            default:
                return AtriumError(.internalError, "The metadata change failed", underlying: error)
            }
        default:
            return error
        }
    }
}
