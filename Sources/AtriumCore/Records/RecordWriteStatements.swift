import Foundation

/// Builds the statements that change records. Each changes and renders in one statement (a data-modifying CTE), so
/// it is atomic on its own and returns the response body as one JSON text. Rows they write must satisfy the caller's
/// row-level rule (``RecordReadStatements/appendRowLevelCheck(returning:to:)``), or the statement fails with a 403.
struct RecordWriteStatements {
    let reads: RecordReadStatements
    var object: WorkspaceSchema.Object { reads.object }
    var schema: SQLIdentifier { reads.schema }
    var table: SQLIdentifier { reads.table }
    /// How the changed records (CTE `p`) are rendered.
    let rendering: RecordRendering

    /// `INSERT … [ON CONFLICT (id) DO UPDATE …] RETURNING` the records, rendered (one record, or an array when
    /// `many`).
    func create(_ inputs: [RecordInput], upsert: Bool, many: Bool, returningID: Bool = false) throws -> SQLBuilder {
        var columns: [RecordColumn] = []
        for input in inputs {
            for (column, _) in input.writes where !columns.contains(column) { columns.append(column) }
        }
        // Upserting records that all give their id: rows are written, so locked, in id order. Two batches over the same
        // records then take their locks in the same order and cannot deadlock each other (a bulk update still can when
        // its plan does not read rows in id order); the answer keeps the input's order.
        let inputOrder = upsert && inputs.count > 1 && !returningID ? Self.lowercasedIDs(inputs) : nil
        let rows = inputOrder.map { ids in zip(ids, inputs).sorted { $0.0 < $1.0 }.map(\.1) } ?? inputs
        var sql = SQLBuilder()
        sql.append("WITH \(inputOrder == nil ? "p" : "written") AS (INSERT INTO \(schema).\(table) AS a (")
        // Records that give no value at all take every default: `("id") VALUES (DEFAULT), …` (`DEFAULT VALUES` takes
        // one row only).
        sql.append(columns.isEmpty ? "\"id\"" : try columns.map { try SQLIdentifier($0.name).quoted }.joined(separator: ", "))
        sql.append(") VALUES ")
        for (row, input) in rows.enumerated() {
            sql.append(row == 0 ? "(" : ", (")
            if columns.isEmpty { sql.append("DEFAULT") }
            for (index, column) in columns.enumerated() {
                if index > 0 { sql.append(", ") }
                if let write = input.writes.last(where: { $0.column == column })?.write {
                    try append(write, column: column, to: &sql)
                } else {
                    sql.append("DEFAULT")
                }
            }
            sql.append(")")
        }
        if upsert {
            let updatable = columns.filter { !["id", "position"].contains($0.name) && !$0.name.hasPrefix("createdBy") }
            sql.append(" ON CONFLICT (\"id\") DO UPDATE SET \"deletedAt\" = NULL")
            for column in updatable {
                let name = try SQLIdentifier(column.name)
                sql.append(", \(name) = EXCLUDED.\(name)")
            }
            if object.field(named: "updatedAt") != nil, !updatable.contains(where: { $0.name == "updatedAt" }) {
                sql.append(", \"updatedAt\" = now()")
            }
            try reads.appendRowLevelCheck(conflicting: "a", to: &sql)
        }
        if returningID {
            sql.append(" RETURNING a.\"id\"::text AS id")
            try reads.appendRowLevelCheck(returning: "a", to: &sql)
            sql.append(") SELECT id FROM p")
            return sql
        }
        sql.append(" RETURNING a.*")
        try reads.appendRowLevelCheck(returning: "a", to: &sql)
        sql.append(") ")
        if let inputOrder {
            sql.append(", p AS (SELECT w.* FROM written w ORDER BY array_position(")
            sql.bind(inputOrder)
            sql.append("::uuid[], w.\"id\")) ")
        }
        try rendering.appendSelect("p", many: many, to: &sql)
        return sql
    }

    /// Every input's id, lowercased, in input order; nil when one gives none.
    private static func lowercasedIDs(_ inputs: [RecordInput]) -> [String]? {
        var ids: [String] = []
        for input in inputs {
            guard let id = input.id.flatMap(UUID.init(text:)) else { return nil }
            ids.append(id.lowercased)
        }
        return ids
    }

    /// `INSERT … ON CONFLICT (id) DO UPDATE` of one record, returning its id as text.
    func upsertReturningID(_ input: RecordInput) throws -> SQLBuilder {
        try create([input], upsert: true, many: false, returningID: true)
    }

    /// Renders the records `ids`, in that order, as an array.
    func render(ids: [String]) throws -> SQLBuilder {
        var sql = SQLBuilder()
        sql.append("WITH p AS (SELECT a.* FROM unnest(")
        sql.bind(ids)
        sql.append("::uuid[]) WITH ORDINALITY AS u(id, n) JOIN \(schema).\(table) a ON a.\"id\" = u.id ORDER BY u.n) ")
        try rendering.appendSelect("p", many: true, to: &sql)
        return sql
    }

    /// `UPDATE` the live record `id`, or the live records matching `filter`.
    func update(_ input: RecordInput, target: Target) throws -> SQLBuilder {
        var sql = SQLBuilder()
        sql.append("WITH p AS (UPDATE \(schema).\(table) AS a SET ")
        for (index, (column, write)) in input.writes.enumerated() {
            if index > 0 { sql.append(", ") }
            sql.append("\(try SQLIdentifier(column.name)) = ")
            try append(write, column: column, to: &sql)
        }
        sql.append(" WHERE ")
        try appendTarget(target, alias: "a", to: &sql)
        sql.append(" RETURNING a.*")
        try reads.appendRowLevelCheck(returning: "a", to: &sql)
        sql.append(") ")
        try rendering.appendSelect("p", many: target.isMany, to: &sql)
        return sql
    }

    /// Soft-deletes (sets `deletedAt`) or destroys the target, rendering the records as they were.
    func delete(_ target: Target, soft: Bool) throws -> SQLBuilder {
        var sql = SQLBuilder()
        sql.append(soft
            ? "WITH p AS (UPDATE \(schema).\(table) AS a SET \"deletedAt\" = now() WHERE "
            : "WITH p AS (DELETE FROM \(schema).\(table) AS a WHERE ")
        try appendTarget(target, alias: "a", to: &sql, includeDeleted: !soft)
        sql.append(" RETURNING a.*) ")
        try rendering.appendSelect("p", many: target.isMany, to: &sql)
        return sql
    }

    /// Clears `deletedAt` of soft-deleted records.
    func restore(_ target: Target) throws -> SQLBuilder {
        var sql = SQLBuilder()
        sql.append("WITH p AS (UPDATE \(schema).\(table) AS a SET \"deletedAt\" = NULL WHERE a.\"deletedAt\" IS NOT NULL AND ")
        switch target {
        case .one(let id):
            try reads.appendRecord(id, alias: "a", includeDeleted: true, to: &sql)
        case .matching(let filter):
            try reads.requireReadable(filter.fieldNames)
            try FilterCompiler(object: object, schema: schema, alias: "a").append(filter, to: &sql)
            try reads.appendRowLevel(alias: "a", to: &sql)
        }
        sql.append(" RETURNING a.*")
        try reads.appendRowLevelCheck(returning: "a", to: &sql)
        sql.append(") ")
        try rendering.appendSelect("p", many: target.isMany, to: &sql)
        return sql
    }

    /// Which records a statement changes.
    enum Target {
        case one(UUID)
        case matching(RecordFilter)

        var isMany: Bool { if case .matching = self { true } else { false } }
    }

    func appendTarget(_ target: Target, alias: String, to sql: inout SQLBuilder, includeDeleted: Bool = false) throws {
        switch target {
        case .one(let id):
            try reads.appendRecord(id, alias: alias, includeDeleted: includeDeleted, to: &sql)
        case .matching(let filter):
            try reads.appendMatching(filter, alias: alias, to: &sql)
        }
    }

    private func append(_ write: ColumnWrite, column: RecordColumn, to sql: inout SQLBuilder) throws {
        switch write {
        case .null:
            sql.append("NULL")
        case .expression(let expression):
            sql.append(expression)
        case .value(let text):
            sql.bind(text)
            sql.append("::\(try column.sqlType(schema: schema))")
        case .values(let texts):
            sql.bind(texts)
            sql.append("::\(try column.sqlType(schema: schema))")
        }
    }
}
