import Foundation

/// Builds the statements that change records. Each changes and renders in one statement (a data-modifying CTE), so
/// it is atomic on its own and returns the response body as one JSON text. Rows they write must satisfy the caller's
/// row-level rule (``RecordReadStatements/appendRowLevelCheck(returning:to:)``), or the statement fails with a 403.
/// With ``events``, each also writes its events to the outbox in the same statement (``RecordEventStatement``); the
/// statements that change existing records then join each row to itself, whose snapshot version is the events'
/// `before` (`RETURNING …, to_jsonb(o) AS "__before"`; under a concurrent update of the same record it can be the
/// version the statement first saw rather than the one it updated).
struct RecordWriteStatements {
    let reads: RecordReadStatements
    var object: WorkspaceSchema.Object { reads.object }
    var schema: SQLIdentifier { reads.schema }
    var table: SQLIdentifier { reads.table }
    /// How the changed records (CTE `p`) are rendered.
    let rendering: RecordRendering
    /// The events of the writes; nil: none recorded (`EVENTS_ENABLED=false`).
    let events: RecordEventStatement?

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
        sql.append("WITH ")
        if upsert, events != nil {
            // The records an upsert may update, as the statement's snapshot has them: the events' `before`. Not locked:
            // the INSERT may run first, and a row it changed is one this statement can no longer lock.
            sql.append("o AS (SELECT a.* FROM \(schema).\(table) AS a WHERE a.\"id\" = ANY(")
            sql.bind(inputs.compactMap { $0.id.flatMap(UUID.init(text:))?.lowercased })
            sql.append("::uuid[])), ")
        }
        sql.append("\(inputOrder == nil ? "p" : "written") AS (INSERT INTO \(schema).\(table) AS a (")
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
        sql.append(" RETURNING a.*")
        try reads.appendRowLevelCheck(returning: "a", to: &sql)
        sql.append(")")
        if let inputOrder {
            sql.append(", p AS (SELECT w.* FROM written w ORDER BY array_position(")
            sql.bind(inputOrder)
            sql.append("::uuid[], w.\"id\"))")
        }
        try events?.append(upsert ? .upserted : .created, changed: "p", before: upsert ? .cte("o") : .none, to: &sql)
        if returningID {
            sql.append(" SELECT p.\"id\"::text FROM p")
            return sql
        }
        sql.append(" ")
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
        try change(.updated, many: target.isMany) { sql in
            for (index, (column, write)) in input.writes.enumerated() {
                if index > 0 { sql.append(", ") }
                sql.append("\(try SQLIdentifier(column.name)) = ")
                try append(write, column: column, to: &sql)
            }
        } where: { sql in
            try appendTarget(target, alias: "a", to: &sql)
        }
    }

    /// `WITH p AS (UPDATE … SET <set> WHERE <target> RETURNING a.*)`, its events, and the rendering of `p`. With events,
    /// each updated row is joined to itself (`o`), whose snapshot version is returned as the record before.
    private func change(
        _ action: RecordEventAction, many: Bool, checksRows: Bool = true,
        set: (inout SQLBuilder) throws -> Void, where target: (inout SQLBuilder) throws -> Void
    ) throws -> SQLBuilder {
        var sql = SQLBuilder()
        sql.append("WITH p AS (UPDATE \(schema).\(table) AS a SET ")
        try set(&sql)
        if events != nil { sql.append(" FROM \(schema).\(table) AS o") }
        sql.append(" WHERE ")
        if events != nil { sql.append("o.\"id\" = a.\"id\" AND ") }
        try target(&sql)
        sql.append(" RETURNING a.*")
        if events != nil { sql.append(", to_jsonb(o) AS \"\(RecordEventStatement.beforeColumn)\"") }
        if checksRows { try reads.appendRowLevelCheck(returning: "a", to: &sql) }
        sql.append(")")
        try events?.append(action, changed: "p", before: .returned, to: &sql)
        sql.append(" ")
        try rendering.appendSelect("p", many: many, to: &sql)
        return sql
    }

    /// Soft-deletes (sets `deletedAt`) or destroys the target, rendering the records as they were.
    func delete(_ target: Target, soft: Bool) throws -> SQLBuilder {
        if soft {
            return try change(.deleted, many: target.isMany, checksRows: false) { sql in
                sql.append("\"deletedAt\" = now()")
            } where: { sql in
                try appendTarget(target, alias: "a", to: &sql)
            }
        }
        var sql = SQLBuilder()
        sql.append("WITH p AS (DELETE FROM \(schema).\(table) AS a WHERE ")
        try appendTarget(target, alias: "a", to: &sql, includeDeleted: true)
        sql.append(" RETURNING a.*)")
        try events?.append(.destroyed, changed: "p", to: &sql)
        sql.append(" ")
        try rendering.appendSelect("p", many: target.isMany, to: &sql)
        return sql
    }

    /// Clears `deletedAt` of soft-deleted records.
    func restore(_ target: Target) throws -> SQLBuilder {
        try change(.restored, many: target.isMany) { sql in
            sql.append("\"deletedAt\" = NULL")
        } where: { sql in
            sql.append("a.\"deletedAt\" IS NOT NULL AND ")
            switch target {
            case .one(let id):
                try reads.appendRecord(id, alias: "a", includeDeleted: true, to: &sql)
            case .matching(let filter):
                try reads.requireReadable(filter.fieldNames)
                try FilterCompiler(object: object, schema: schema, alias: "a").append(filter, to: &sql)
                try reads.appendRowLevel(alias: "a", to: &sql)
            }
        }
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
