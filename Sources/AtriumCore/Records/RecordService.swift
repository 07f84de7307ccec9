import Foundation
import NIOCore
import Logging
import PostgresNIO

/// Reads and writes the records of a workspace's objects: the one query engine behind REST and GraphQL.
///
/// Every operation is a single SQL statement that PostgreSQL renders as the response body, in Twenty's envelope
/// (`{"data":{"companies":[…]},"totalCount":…,"pageInfo":…}`); the caller sends its bytes unchanged.
///
/// ```swift
/// let scope = RecordScope(company, in: schema, access: access, logger: logger)
/// let body = try await records.findMany(FindManyQuery(limit: 10), in: scope)
/// ```
public struct RecordService: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The most records one batch write may carry.
    public static let maximumBatchSize = 200

    // MARK: - Reads

    /// One page: `{"data":{"<plural>":[…]},"totalCount":n,"pageInfo":{…}}`.
    public func findMany(_ query: FindManyQuery, in scope: RecordScope) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .read)
        let sql = try RecordReadStatements(scope).findMany(query, key: object.namePlural)
        return try await single(sql, .reads, in: scope)
    }

    /// `{"data":{"<singular>":{…}}}`.
    /// - Throws: ``AtriumError`` `.notFound` when there is no live record `id`.
    public func findOne(_ id: UUID, selection: RecordSelection, in scope: RecordScope) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .read)
        let sql = try RecordReadStatements(scope).findOne(id, selection: selection, key: object.nameSingular)
        return try await single(sql, .reads, in: scope)
    }

    // MARK: - Writes

    /// Creates one record: `{"data":{"create<Singular>":{…}}}`. With `upsert`, a record whose `id` exists is updated.
    public func createOne(
        _ input: JSONValue, upsert: Bool = false, selection: RecordSelection = .init(), actor: RecordActor,
        in scope: RecordScope
    ) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .update, writing: [input])
        let record = try RecordInput(input, object: object, purpose: .create, actor: actor)
        let sql = try writes(scope).create([record], upsert: upsert, selection: selection,
                                                    key: "create" + object.nameSingular.capitalizedFirst, many: false)
        return try await single(sql, .writes, in: scope)
    }

    /// Creates up to ``maximumBatchSize`` records in one statement: `{"data":{"create<Plural>":[…]}}`.
    public func createMany(
        _ inputs: [JSONValue], upsert: Bool = false, selection: RecordSelection = .init(), actor: RecordActor,
        in scope: RecordScope
    ) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .update, writing: inputs)
        guard !inputs.isEmpty else { throw AtriumError(.badRequest, "The body must be a non-empty array of records") }
        guard inputs.count <= Self.maximumBatchSize else {
            throw AtriumError(.badRequest, "At most \(Self.maximumBatchSize) records can be created at once (got \(inputs.count))")
        }
        let records = try inputs.map { try RecordInput($0, object: object, purpose: .create, actor: actor) }
        let statements = try writes(scope)
        let key = "create" + object.namePlural.capitalizedFirst
        let columnSets = Set(records.map { Set($0.writes.map(\.column.name)) })
        guard upsert, columnSets.count > 1 else {
            return try await single(try statements.create(records, upsert: upsert, selection: selection, key: key, many: true),
                                    .writes, in: scope)
        }
        return try await upsertEach(records, with: statements, selection: selection, key: key, in: scope)
    }

    /// Upserts giving different fields per record: one `INSERT … ON CONFLICT` each (an existing record keeps the fields
    /// its input leaves out), then one read of them all as `{"<key>":[…]}`, in one transaction.
    func upsertEach(
        _ records: [RecordInput], with statements: RecordWriteStatements, selection: RecordSelection, key: String,
        in scope: RecordScope
    ) async throws -> ByteBuffer {
        let (object, logger) = (scope.object, scope.logger)
        do {
            return try await database.withTransaction(logger: logger) { connection in
                var ids: [String] = []
                for record in records {
                    for try await row in try await connection.query(try statements.upsertReturningID(record).query, logger: logger) {
                        ids.append(try row.decode(String.self))
                    }
                }
                for try await row in try await connection.query(try statements.render(ids: ids, selection: selection, key: key).query, logger: logger) {
                    return try row.decode(ByteBuffer.self)
                }
                throw AtriumError(.internalError, "The upserted records could not be read back")
            }
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError as? AtriumError { throw closure }
            throw AtriumError.fromRecordStatement(error.closureError ?? error, object: object)
        }
    }

    /// Updates the live record `id`: `{"data":{"update<Singular>":{…}}}`.
    public func updateOne(
        _ id: UUID, _ input: JSONValue, selection: RecordSelection = .init(), actor: RecordActor,
        in scope: RecordScope
    ) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .update, writing: [input])
        let record = try RecordInput(input, object: object, purpose: .update, actor: actor)
        let sql = try writes(scope).update(record, target: .one(id), selection: selection,
                                                    key: "update" + object.nameSingular.capitalizedFirst)
        return try await single(sql, .writes, in: scope)
    }

    /// Updates every live record matching `filter`: `{"data":{"update<Plural>":[…]}}`.
    public func updateMany(
        matching filter: RecordFilter, _ input: JSONValue, selection: RecordSelection = .init(), actor: RecordActor,
        in scope: RecordScope
    ) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .update, writing: [input])
        let record = try RecordInput(input, object: object, purpose: .update, actor: actor)
        let sql = try writes(scope).update(record, target: .matching(filter), selection: selection,
                                                    key: "update" + object.namePlural.capitalizedFirst)
        return try await single(sql, .writes, in: scope)
    }

    /// Soft-deletes or destroys record `id`: `{"data":{"delete<Singular>":{"id":…}}}`. Destroying applies each
    /// relation's onDelete (cascade or set null) through the foreign keys.
    public func deleteOne(_ id: UUID, soft: Bool, in scope: RecordScope) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, soft ? .softDelete : .destroy)
        let sql = try writes(scope).delete(.one(id), soft: soft, key: "delete" + object.nameSingular.capitalizedFirst)
        return try await single(sql, .writes, in: scope)
    }

    /// Soft-deletes or destroys every record matching `filter`: `{"data":{"delete<Plural>":[{"id":…}]}}`.
    public func deleteMany(matching filter: RecordFilter, soft: Bool, in scope: RecordScope) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, soft ? .softDelete : .destroy)
        let sql = try writes(scope).delete(.matching(filter), soft: soft, key: "delete" + object.namePlural.capitalizedFirst)
        return try await single(sql, .writes, in: scope)
    }

    /// Restores the soft-deleted record `id`: `{"data":{"restore<Singular>":{…}}}`.
    public func restoreOne(_ id: UUID, selection: RecordSelection = .init(), in scope: RecordScope) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .softDelete)
        let sql = try writes(scope).restore(.one(id), selection: selection, key: "restore" + object.nameSingular.capitalizedFirst)
        return try await single(sql, .writes, in: scope)
    }

    /// Restores every soft-deleted record matching `filter`: `{"data":{"restore<Plural>":[…]}}`.
    public func restoreMany(matching filter: RecordFilter, selection: RecordSelection = .init(), in scope: RecordScope) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .softDelete)
        let sql = try writes(scope).restore(.matching(filter), selection: selection, key: "restore" + object.namePlural.capitalizedFirst)
        return try await single(sql, .writes, in: scope)
    }

    /// Groups with aggregates: `{"data":{"<plural>GroupBy":[{"groupByDimensionValues":[…],"totalCount":n,…}]}}`.
    public func groupBy(_ query: GroupByQuery, in scope: RecordScope) async throws -> ByteBuffer {
        try authorize(scope, .read)
        let sql = try RecordGroupByStatement(reads: try RecordReadStatements(scope)).build(query)
        return try await single(sql, .reads, in: scope)
    }

    // MARK: - Duplicates and merge

    /// Duplicates of existing records (`ids`) or of candidate records (`data`), by the object's duplicate criteria:
    /// `{"data":[{"<singular>Duplicates":[…],"totalCount":n,"pageInfo":{…}}, …]}`.
    public func findDuplicates(
        ids: [UUID]?, data: [JSONValue]?, selection: RecordSelection = .init(), actor: RecordActor,
        in scope: RecordScope
    ) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .read)
        // Twenty's REST answers an empty id list with no duplicates rather than an error.
        if let ids, ids.isEmpty, data == nil { return ByteBuffer(string: #"{"data":[]}"#) }
        let source = try RecordDuplicatesStatement.Source(ids: ids, data: data, object: object, actor: actor)
        let sql = try RecordDuplicatesStatement(reads: try RecordReadStatements(scope)).build(source, selection: selection)
        return try await single(sql, .reads, in: scope)
    }

    /// Merges `ids` into the record at `priority`: its empty fields are filled from the others, their related records
    /// move to it and they are soft-deleted, in one transaction. With `dryRun`, only renders the merged record.
    /// With `tree` (GraphQL), renders just the merged record as selected, without REST's envelope.
    public func merge(
        ids: [UUID], priority: Int, dryRun: Bool, selection: RecordSelection = .init(), tree: RecordTree? = nil,
        in scope: RecordScope
    ) async throws -> ByteBuffer {
        let (object, logger) = (scope.object, scope.logger)
        try authorize(scope, .update)
        try authorize(scope, .softDelete)
        var merge = try RecordMergeStatements(reads: try RecordReadStatements(scope), ids: ids, priority: priority)
        if let tree {
            let renderer = try SelectionRenderer(scope)
            merge.render = { alias, sql in try renderer.record(tree, of: object, alias: alias, to: &sql) }
        }
        if dryRun {
            do {
                return try await single(try merge.preview(selection: selection), .reads, in: scope)
            } catch let error as AtriumError where error.code == .notFound {
                throw AtriumError(.notFound, "One of the records to merge does not exist")
            }
        }
        let missing = AtriumError(.notFound, "One of the records to merge does not exist")
        let statements = merge
        do {
            return try await database.withTransaction(logger: logger) { connection in
                var deleted = 0
                for try await _ in try await connection.query(try statements.softDeleteOthers().query, logger: logger) { deleted += 1 }
                guard deleted == statements.others.count else { throw missing }
                for statement in try statements.moveRelations() {
                    // Read every returned row: a refusal raised for a moved row arrives with the rows.
                    for try await _ in try await connection.query(statement.query, logger: logger) {}
                }
                for try await row in try await connection.query(try statements.applyMerged(selection: selection).query, logger: logger) {
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

    private func writes(_ scope: RecordScope) throws -> RecordWriteStatements {
        RecordWriteStatements(reads: try RecordReadStatements(scope))
    }

    /// Runs `sql` and returns its one text value (``text(_:_:object:logger:)``).
    /// - Throws: ``AtriumError`` `.notFound` when the statement returns no row (no such live record).
    func single(_ sql: SQLBuilder, _ effect: StatementEffect, in scope: RecordScope) async throws -> ByteBuffer {
        guard let text = try await text(sql, effect, in: scope) else { throw AtriumError(.notFound, "Record not found") }
        return text
    }
}

extension ByteBuffer {
    /// `null`, as a JSON response body's bytes.
    static let jsonNull = ByteBuffer(string: "null")
    /// `[]`, as a JSON response body's bytes.
    static let emptyJSONArray = ByteBuffer(string: "[]")
}

extension String {
    /// `company` → `Company`.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
