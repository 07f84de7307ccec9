import Foundation
import NIOCore
import Logging
import PostgresNIO

/// The operations of the GraphQL front end: the same statements, checks and errors as REST, but rendering exactly the
/// selection a client asked for (``RecordTree``, ``ConnectionTree``) under its response keys. Each call is one SQL
/// statement, relations included, and returns the JSON value of one root field as text.
///
/// ```swift
/// let json = try await records.connection(tree, of: company, in: schema, logger: logger)   // {"edges":[…],"totalCount":3}
/// ```
extension RecordService {
    /// Which records a GraphQL mutation changes.
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

    /// A connection over the live records: `{"edges":[…],"pageInfo":{…},"totalCount":n,…}` as selected.
    public func connection(_ tree: ConnectionTree, in scope: RecordScope) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .read)
        let renderer = try SelectionRenderer(scope)
        var sql = SQLBuilder()
        sql.append("SELECT ")
        try renderer.connection(tree, of: object, to: &sql)
        sql.append("::text")
        return try await text(sql, .reads, in: scope) ?? .jsonNull
    }

    /// The first live record matching `filter` (in the default order), or `nil`.
    public func first(
        matching filter: RecordFilter, _ tree: RecordTree, in scope: RecordScope
    ) async throws -> ByteBuffer? {
        let object = scope.object
        try authorize(scope, .read)
        let renderer = try SelectionRenderer(scope)
        let reads = try RecordReadStatements(scope)
        var sql = SQLBuilder()
        sql.append("SELECT ")
        try renderer.record(tree, of: object, alias: "p", to: &sql)
        sql.append("::text FROM \(reads.schema).\(reads.table) p WHERE ")
        try reads.appendMatching(filter, alias: "p", to: &sql)
        sql.append(" ORDER BY \(try RecordOrdering([], object: object).sql(alias: "p")) LIMIT 1")
        return try await text(sql, .reads, in: scope)
    }

    /// One connection of duplicates per input record (existing records by `ids`, or candidates as `data`), in input
    /// order: `[{"edges":[…],…}, …]` as selected.
    public func duplicates(
        ids: [UUID]?, data: [JSONValue]?, _ tree: ConnectionTree, actor: RecordActor,
        in scope: RecordScope
    ) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .read)
        let source = try RecordDuplicatesStatement.Source(ids: ids, data: data, object: object, actor: actor)
        let renderer = try SelectionRenderer(scope)
        var statement = RecordDuplicatesStatement(reads: try RecordReadStatements(scope))
        statement.render = { scope, sql in try renderer.connection(tree, of: object, scope: scope, to: &sql) }
        return try await text(try statement.build(source), .reads, in: scope) ?? .emptyJSONArray
    }

    /// Groups of the live records matching the query's filter, each a connection over its records as selected (its
    /// aggregates, edges and `groupByDimensionValues`): `[{"groupByDimensionValues":["NEW"],"totalCount":2,…}, …]`.
    /// The query's order may name a dimension or any aggregate; `tree.page` pages the records inside each group.
    public func groupBy(
        _ query: GroupByQuery, _ tree: ConnectionTree, in scope: RecordScope
    ) async throws -> ByteBuffer {
        try authorize(scope, .read)
        return try await text(try Self.groupByStatement(query, tree, in: scope), .reads, in: scope) ?? .emptyJSONArray
    }

    /// The one statement ``groupBy(_:_:in:)`` runs.
    static func groupByStatement(_ query: GroupByQuery, _ tree: ConnectionTree, in scope: RecordScope) throws -> SQLBuilder {
        let object = scope.object
        let renderer = try SelectionRenderer(scope)
        var statement = RecordGroupByStatement(reads: try RecordReadStatements(scope))
        statement.render = { group, values, sql in
            try renderer.connection(tree, of: object, group: group, dimensionValues: values, to: &sql)
        }
        return try statement.build(query)
    }

    // MARK: - Writes

    /// Creates (or with `upsert`, creates or updates by `id`) records; one record or, when `many`, an array.
    public func create(
        _ inputs: [JSONValue], upsert: Bool, many: Bool, _ tree: RecordTree, actor: RecordActor,
        in scope: RecordScope
    ) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .update, writing: inputs)
        guard !inputs.isEmpty else { throw AtriumError(.badRequest, "Give at least one record to create") }
        guard inputs.count <= Self.maximumBatchSize else {
            throw AtriumError(.badRequest, "At most \(Self.maximumBatchSize) records can be created at once (got \(inputs.count))")
        }
        let records = try inputs.map { try RecordInput($0, object: object, purpose: .create, actor: actor) }
        let statements = try writes(tree, scope)
        guard upsert, many, Set(records.map { Set($0.writes.map(\.column.name)) }).count > 1 else {
            let sql = try statements.create(records, upsert: upsert, selection: .init(), key: "data", many: many)
            return try await text(sql, .writes, in: scope) ?? .jsonNull
        }
        // Upserts giving different fields per record, as REST does them.
        return try await upsertEach(records, with: statements, selection: .init(), key: "data", in: scope)
    }

    /// Updates the live record `id` or the live records matching a filter.
    /// - Throws: ``AtriumError`` `.notFound` when updating one record that does not exist.
    public func update(
        _ targets: Targets, _ input: JSONValue, _ tree: RecordTree, actor: RecordActor,
        in scope: RecordScope
    ) async throws -> ByteBuffer {
        let object = scope.object
        try authorize(scope, .update, writing: [input])
        let record = try RecordInput(input, object: object, purpose: .update, actor: actor)
        let sql = try writes(tree, scope).update(record, target: targets.write, selection: .init(), key: "data")
        return try await single(sql, .writes, in: scope)
    }

    /// Soft-deletes (sets `deletedAt`) or destroys records, rendering them as they were.
    /// - Throws: ``AtriumError`` `.notFound` when deleting one record that does not exist.
    public func delete(
        _ targets: Targets, soft: Bool, _ tree: RecordTree, in scope: RecordScope
    ) async throws -> ByteBuffer {
        try authorize(scope, soft ? .softDelete : .destroy)
        let statements = try writes(tree, scope)
        var sql = SQLBuilder()
        sql.append(soft
            ? "WITH p AS (UPDATE \(statements.schema).\(statements.table) AS a SET \"deletedAt\" = now() WHERE "
            : "WITH p AS (DELETE FROM \(statements.schema).\(statements.table) AS a WHERE ")
        try statements.appendTarget(targets.write, alias: "a", to: &sql, includeDeleted: !soft)
        sql.append(" RETURNING a.*) ")
        try statements.render?(targets.write.isMany, &sql)
        return try await single(sql, .writes, in: scope)
    }

    /// Restores soft-deleted records.
    public func restore(
        _ targets: Targets, _ tree: RecordTree, in scope: RecordScope
    ) async throws -> ByteBuffer {
        try authorize(scope, .softDelete)
        let sql = try writes(tree, scope).restore(targets.write, selection: .init(), key: "data")
        return try await single(sql, .writes, in: scope)
    }

    // MARK: - Running

    /// Write statements whose result is `tree` rendered for each changed record (CTE `p`).
    private func writes(_ tree: RecordTree, _ scope: RecordScope) throws -> RecordWriteStatements {
        let object = scope.object
        let renderer = try SelectionRenderer(scope)
        var statements = RecordWriteStatements(reads: try RecordReadStatements(scope))
        statements.render = { many, sql in
            sql.append("SELECT ")
            if many { sql.append("COALESCE(json_agg(") }
            try renderer.record(tree, of: object, alias: "p", to: &sql)
            if many { sql.append("), '[]'::json)") }
            sql.append("::text FROM p")
        }
        return statements
    }

    /// Runs `sql` and returns its one text value, or `nil` when it returns no row; a statement that `writes` returns
    /// once its commit is confirmed (``Database/firstText(_:effect:logger:)``).
    func text(_ sql: SQLBuilder, _ effect: StatementEffect, in scope: RecordScope) async throws -> ByteBuffer? {
        do {
            return try await database.firstText(sql.query, effect: effect, logger: scope.logger)
        } catch {
            throw AtriumError.fromRecordStatement(error, object: scope.object)
        }
    }
}
