import Foundation

/// Finds duplicates of records by the object's duplicate criteria (company: same name, or same domain; person: same
/// full name, LinkedIn or primary email), for existing records (by id) or for candidate data, in one statement.
///
/// Renders a JSON array with one connection of duplicates per input, in input order, in the caller's envelope. A
/// criteria group applies only when all its values are non-empty; a record is never its own duplicate.
struct RecordDuplicatesStatement {
    let reads: RecordReadStatements
    /// Renders the duplicates of the source row `s`, given the (trusted) condition matching them over a table alias.
    let render: (@escaping (String) throws -> String, inout SQLBuilder) throws -> Void
    /// Where the array sits in the response.
    let envelope: RecordEnvelope

    /// The sources: existing records, or candidates given as field values.
    enum Source {
        case ids([UUID])
        case data([RecordInput])

        /// Exactly one of `ids` and `data`, not empty (Twenty's rules and messages).
        init(ids: [UUID]?, data: [JSONValue]?, object: WorkspaceSchema.Object, actor: RecordActor) throws {
            switch (ids, data) {
            case (let ids?, nil):
                guard !ids.isEmpty else { throw AtriumError(.badRequest, "\"ids\" must not be empty") }
                self = .ids(ids)
            case (nil, let data?):
                guard !data.isEmpty else {
                    throw AtriumError(.badRequest, "The \"data\" condition can not be empty when \"ids\" input not provided")
                }
                self = .data(try data.map { try RecordInput($0, object: object, purpose: .create, actor: actor) })
            case (nil, nil):
                throw AtriumError(.badRequest, "You have to provide either \"data\" or \"ids\" argument")
            default:
                throw AtriumError(.badRequest, "You cannot provide both \"data\" and \"ids\" arguments")
            }
        }
    }

    /// The statement.
    func build(_ source: Source) throws -> SQLBuilder {
        let object = reads.object
        let criteria = try object.duplicateCriteria.map { group in
            try group.map { name -> RecordColumn in
                guard let column = object.column(named: name)?.column else {
                    throw AtriumError(.internalError, "Duplicate criteria of \(object.nameSingular) name unknown column \(name)")
                }
                return column
            }
        }
        let criteriaColumns = criteria.flatMap { $0 }.reduce(into: [RecordColumn]()) { if !$0.contains($1) { $0.append($1) } }
        let names = try criteriaColumns.map { try SQLIdentifier($0.name) }
        let schema = reads.schema
        let table = reads.table
        var sql = SQLBuilder()
        sql.append("WITH s AS (")
        switch source {
        case .ids(let ids):
            sql.append("SELECT src.n, t.\"id\"")
            for name in names { sql.append(", t.\(name)::text AS \(name)") }
            sql.append(" FROM unnest(")
            sql.bind(ids.map(\.uuidString))
            sql.append("::uuid[]) WITH ORDINALITY AS src(id, n) JOIN \(schema).\(table) t ON t.\"id\" = src.id AND t.\"deletedAt\" IS NULL")
            try reads.appendRowLevel(alias: "t", to: &sql)
        case .data(let inputs):
            for (index, input) in inputs.enumerated() {
                sql.append(index == 0 ? "SELECT " : " UNION ALL SELECT ")
                sql.append("\(index + 1)::bigint AS n, ")
                if let id = input.id {
                    sql.bind(id)
                    sql.append("::uuid AS \"id\"")
                } else {
                    sql.append("NULL::uuid AS \"id\"")
                }
                for (column, name) in zip(criteriaColumns, names) {
                    sql.append(", ")
                    if case .value(let text)? = input.writes.last(where: { $0.column == column })?.write {
                        sql.bind(text)
                        sql.append("::text")
                    } else {
                        sql.append("NULL::text")
                    }
                    sql.append(" AS \(name)")
                }
            }
        }
        func matches(_ t: String) throws -> String {
            criteria.isEmpty ? "FALSE" : try criteria.map { group in
                "(" + (try group.map { column in
                    let name = try SQLIdentifier(column.name)
                    return "(s.\(name) IS NOT NULL AND s.\(name) <> '' AND \(t).\(name)::text = s.\(name))"
                }.joined(separator: " AND ")) + ")"
            }.joined(separator: " OR ")
        }
        sql.append(") SELECT ")
        try envelope.wrap(&sql) { sql in
            sql.append("COALESCE(json_agg(")
            try render({ t in "(s.\"id\" IS NULL OR \(t).\"id\" <> s.\"id\") AND (\(try matches(t)))" }, &sql)
            sql.append(" ORDER BY s.n), '[]'::json)")
        }
        sql.append("::text FROM s")
        return sql
    }
}
