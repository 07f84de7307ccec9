import Foundation
import NIOCore
import Logging
import PostgresNIO

/// Reads and writes the records of a workspace's objects: the one query engine behind REST and GraphQL.
///
/// Each operation is one method per verb. It takes what to render (a ``RecordTree`` of the record, or a
/// ``ConnectionTree`` of a page), the envelope the API wants it in (``RecordEnvelope``) and one ``RecordScope``
/// (workspace, object, caller's access, logger). It runs a single SQL statement (a merge or a mixed batch upsert: one
/// transaction) that PostgreSQL renders as the response body; the caller sends its bytes unchanged.
///
/// ```swift
/// let scope = RecordScope(company, in: schema, access: access, actor: identity.actor, logger: logger)
/// let body = try await records.findOne(.id(id), .allFields(depth: 1), envelope: .data("company"), in: scope)
/// ```
public struct RecordService: Sendable {
    public let database: Database
    /// Whether writes record their events in the outbox (``RecordEventStatement``).
    let recordsEvents: Bool
    /// Saved views as the queries through them read them (`viewId`), shared by every API of this process.
    public let views: ViewDefinitionCache

    public init(database: Database, recordsEvents: Bool, views: ViewDefinitionCache = ViewDefinitionCache()) {
        self.database = database
        self.recordsEvents = recordsEvents
        self.views = views
    }

    /// The most records one batch write may carry.
    public static let maximumBatchSize = 200

    /// Which records a write changes.
    public enum Targets: Sendable {
        case one(UUID)
        case matching(RecordFilter)

        var write: RecordWriteStatements.Target {
            switch self {
            case .one(let id): .one(id)
            case .matching(let filter): .matching(filter)
            }
        }
    }

    // MARK: - Reads

    /// A page of the live records as `tree` renders it: a GraphQL connection, or REST's whole envelope.
    public func findMany(_ tree: ConnectionTree, in scope: RecordScope) async throws -> ByteBuffer {
        try authorize(scope, .read)
        let renderer = try SelectionRenderer(scope)
        var sql = SQLBuilder()
        sql.append("SELECT ")
        try renderer.connection(tree, of: scope.object, to: &sql)
        sql.append("::text")
        return try await single(sql, .reads, in: scope)
    }

    /// One live record, as `tree` renders it, in `envelope`.
    /// - Throws: ``AtriumError`` `.notFound` when there is no such record.
    public func findOne(
        _ lookup: RecordLookup, _ tree: RecordTree, envelope: RecordEnvelope = .bare, in scope: RecordScope
    ) async throws -> ByteBuffer {
        try authorize(scope, .read)
        let reads = try RecordReadStatements(scope)
        var sql = SQLBuilder()
        try RecordRendering(tree, envelope, in: scope).appendSelect("p", from: "\(reads.schema).\(reads.table) p", many: false, to: &sql)
        sql.append(" WHERE ")
        switch lookup {
        case .id(let id):
            try reads.appendRecord(id, alias: "p", to: &sql)
        case .first(let filter):
            try reads.appendMatching(filter, alias: "p", to: &sql)
            sql.append(" ORDER BY \(try RecordOrdering([], object: scope.object).sql(alias: "p")) LIMIT 1")
        }
        return try await single(sql, .reads, in: scope)
    }

    /// Groups of the live records matching the query's filter, as a JSON array in `envelope`. With `groups` (GraphQL),
    /// each group is that connection over its records (aggregates, edges, `groupByDimensionValues`; its page pages the
    /// records inside the group); without, REST's `{"groupByDimensionValues":[…],"totalCount":n,…,"records":[…]}`.
    public func groupBy(
        _ query: GroupByQuery, groups tree: ConnectionTree? = nil, envelope: RecordEnvelope = .bare, in scope: RecordScope
    ) async throws -> ByteBuffer {
        try authorize(scope, .read)
        return try await single(try Self.groupByStatement(query, groups: tree, envelope: envelope, in: scope), .reads, in: scope)
    }

    /// The one statement ``groupBy(_:groups:envelope:in:)`` runs.
    static func groupByStatement(
        _ query: GroupByQuery, groups tree: ConnectionTree?, envelope: RecordEnvelope = .bare, in scope: RecordScope
    ) throws -> SQLBuilder {
        let renderer = try SelectionRenderer(scope)
        var statement = RecordGroupByStatement(reads: try RecordReadStatements(scope), renderer: renderer, envelope: envelope)
        if let tree {
            statement.render = { group, values, sql in
                try renderer.connection(tree, of: scope.object, group: group, dimensionValues: values, to: &sql)
            }
        }
        return try statement.build(query)
    }

    /// Duplicates of existing records (`ids`) or of candidate records (`data`), by the object's duplicate criteria: a
    /// JSON array in `envelope`, one connection (`tree`) per input record, in input order.
    public func findDuplicates(
        ids: [UUID]?, data: [JSONValue]?, _ tree: ConnectionTree, envelope: RecordEnvelope = .bare,
        in scope: RecordScope
    ) async throws -> ByteBuffer {
        try authorize(scope, .read)
        let source = try RecordDuplicatesStatement.Source(ids: ids, data: data, object: scope.object, actor: scope.actor)
        let renderer = try SelectionRenderer(scope)
        let statement = RecordDuplicatesStatement(reads: try RecordReadStatements(scope), render: { matching, sql in
            try renderer.connection(tree, of: scope.object, scope: matching, to: &sql)
        }, envelope: envelope)
        return try await single(try statement.build(source), .reads, in: scope)
    }

    // MARK: - Writes

    /// Creates records (with `upsert`, a record whose `id` exists is updated instead), rendered as `tree` in
    /// `envelope`: one record, or an array when `many`.
    public func create(
        _ inputs: [JSONValue], upsert: Bool, many: Bool, _ tree: RecordTree, envelope: RecordEnvelope = .bare,
        in scope: RecordScope
    ) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .update, writing: inputs)
        guard !inputs.isEmpty else { throw AtriumError(.badRequest, "Give at least one record to create") }
        guard inputs.count <= Self.maximumBatchSize else {
            throw AtriumError(.badRequest, "At most \(Self.maximumBatchSize) records can be created at once (got \(inputs.count))")
        }
        let records = try inputs.map { try RecordInput($0, object: object, purpose: .create, actor: scope.actor) }
        let statements = try writes(tree, envelope, scope)
        guard upsert, many, Set(records.map { Set($0.writes.map(\.column.name)) }).count > 1 else {
            return try await single(try statements.create(records, upsert: upsert, many: many), .writes, in: scope)
        }
        return try await upsertEach(records, with: statements, in: scope)
    }

    /// Upserts giving different fields per record: one `INSERT … ON CONFLICT` each (an existing record keeps the fields
    /// its input leaves out), then one read of them all as an array, in one transaction.
    func upsertEach(_ records: [RecordInput], with statements: RecordWriteStatements, in scope: RecordScope) async throws -> ByteBuffer {
        let (object, logger) = (scope.object, scope.logger)
        do {
            return try await database.withTransaction(logger: logger) { connection in
                var ids: [String] = []
                for record in records {
                    for try await row in try await connection.query(try statements.upsertReturningID(record).query, logger: logger) {
                        ids.append(try row.decode(String.self))
                    }
                }
                for try await row in try await connection.query(try statements.render(ids: ids).query, logger: logger) {
                    return try row.decode(ByteBuffer.self)
                }
                throw AtriumError(.internalError, "The upserted records could not be read back")
            }
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError as? AtriumError { throw closure }
            throw AtriumError.fromRecordStatement(error.closureError ?? error, object: object)
        }
    }

    /// Updates the live record `id`, or every live record matching a filter (rendered as an array).
    /// - Throws: ``AtriumError`` `.notFound` when updating one record that does not exist.
    public func update(
        _ targets: Targets, _ input: JSONValue, _ tree: RecordTree, envelope: RecordEnvelope = .bare, in scope: RecordScope
    ) async throws -> ByteBuffer {
        try authorize(scope, .update, writing: [input])
        let record = try RecordInput(input, object: scope.object, purpose: .update, actor: scope.actor)
        return try await single(try writes(tree, envelope, scope).update(record, target: targets.write), .writes, in: scope)
    }

    /// Soft-deletes (sets `deletedAt`) or destroys records, rendering them as they were. Destroying applies each
    /// relation's onDelete (cascade or set null) through the foreign keys.
    /// - Throws: ``AtriumError`` `.notFound` when deleting one record that does not exist.
    public func delete(
        _ targets: Targets, soft: Bool, _ tree: RecordTree, envelope: RecordEnvelope = .bare, in scope: RecordScope
    ) async throws -> ByteBuffer {
        try authorize(scope, soft ? .softDelete : .destroy)
        return try await single(try writes(tree, envelope, scope).delete(targets.write, soft: soft), .writes, in: scope)
    }

    /// Restores soft-deleted records.
    /// - Throws: ``AtriumError`` `.notFound` when restoring one record that is not soft-deleted.
    public func restore(
        _ targets: Targets, _ tree: RecordTree, envelope: RecordEnvelope = .bare, in scope: RecordScope
    ) async throws -> ByteBuffer {
        try authorize(scope, .softDelete)
        return try await single(try writes(tree, envelope, scope).restore(targets.write), .writes, in: scope)
    }

    // MARK: - Merge

    /// Merges `ids` into the record at `priority`: its empty fields are filled from the others, their related records
    /// move to it and they are soft-deleted, in one transaction. With `dryRun`, only renders the merged record.
    public func merge(
        ids: [UUID], priority: Int, dryRun: Bool, _ tree: RecordTree, envelope: RecordEnvelope = .bare, in scope: RecordScope
    ) async throws -> ByteBuffer {
        let (object, logger) = (scope.object, scope.logger)
        try authorize(scope, .update)
        try authorize(scope, .softDelete)
        let statements = try RecordMergeStatements(reads: try RecordReadStatements(scope), ids: ids, priority: priority,
                                                   rendering: try RecordRendering(tree, envelope, in: scope), events: events(scope))
        let missing = AtriumError(.notFound, "One of the records to merge does not exist")
        if dryRun {
            do {
                return try await single(try statements.preview(), .reads, in: scope)
            } catch let error as AtriumError where error.code == .notFound {
                throw missing
            }
        }
        do {
            return try await database.withTransaction(logger: logger) { connection in
                var deleted = 0
                for try await _ in try await connection.query(try statements.softDeleteOthers().query, logger: logger) { deleted += 1 }
                guard deleted == statements.others.count else { throw missing }
                for statement in try statements.moveRelations() {
                    // Read every returned row: a refusal raised for a moved row arrives with the rows.
                    for try await _ in try await connection.query(statement.query, logger: logger) {}
                }
                for try await row in try await connection.query(try statements.applyMerged().query, logger: logger) {
                    return try row.decode(ByteBuffer.self)
                }
                throw missing
            }
        } catch let error as AtriumError {
            throw error
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError as? AtriumError { throw closure }
            throw AtriumError.fromRecordStatement(error.closureError ?? error, object: object)
        } catch {
            throw AtriumError.fromRecordStatement(error, object: object)
        }
    }

    // MARK: - Permissions

    /// Refuses (403) what the caller's role may not do: `operation` on `object`'s records, or writing a field it may
    /// not update (a field by name, or a relation by its `<name>Id`).
    func authorize(_ scope: RecordScope, _ operation: RecordOperation, writing inputs: [JSONValue] = []) throws {
        let policy = try scope.access.policy(for: scope.object, in: scope.workspace)
        try policy.require(operation)
        guard !policy.unwritableFields.isEmpty else { return }
        for case .object(let values) in inputs {
            for key in values.keys where policy.isUnwritable(key) {
                throw AtriumError.permissionDenied()
            }
        }
    }

    // MARK: - Running

    /// Write statements whose result is `tree` rendered in `envelope` for each changed record (CTE `p`).
    private func writes(_ tree: RecordTree, _ envelope: RecordEnvelope, _ scope: RecordScope) throws -> RecordWriteStatements {
        RecordWriteStatements(reads: try RecordReadStatements(scope), rendering: try RecordRendering(tree, envelope, in: scope),
                              events: events(scope))
    }

    /// The events of writes in `scope`; nil when writes record none (off, or an object without events).
    private func events(_ scope: RecordScope) -> RecordEventStatement? {
        recordsEvents && RecordEventStatement.records(scope.object) ? RecordEventStatement(scope) : nil
    }

    /// Runs `sql` and returns its one text value; a statement that `writes` returns once its commit is confirmed
    /// (``Database/firstText(_:effect:logger:)``).
    /// - Throws: ``AtriumError`` `.notFound` when the statement returns no row (no such live record).
    func single(_ sql: SQLBuilder, _ effect: StatementEffect, in scope: RecordScope) async throws -> ByteBuffer {
        let text: ByteBuffer?
        do {
            text = try await database.firstText(sql, effect: effect, logger: scope.logger)
        } catch {
            throw AtriumError.fromRecordStatement(error, object: scope.object)
        }
        guard let text else { throw AtriumError(.notFound, "Record not found") }
        return text
    }
}
