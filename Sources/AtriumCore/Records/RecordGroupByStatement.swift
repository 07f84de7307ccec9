/// Groups an object's live records (matching a filter) by dimensions, with aggregates and optionally a sample of
/// records per group, in one statement: a JSON array of groups in the caller's envelope, each
/// `{"groupByDimensionValues":["NEW"],"totalCount":3,…,"records":[…]}` (REST's shape) unless ``render`` renders it.
struct RecordGroupByStatement {
    let reads: RecordReadStatements
    /// Renders the records of REST's `records` sample.
    let renderer: SelectionRenderer
    /// Where the array of groups sits in the response.
    var envelope: RecordEnvelope = .bare
    /// Renders one group `g` (GraphQL's connection per group): given the grouped pass (where the group's aggregates
    /// and the ids of its records are computed) and the JSON array expression of its dimension values.
    var render: ((GroupPass, String, inout SQLBuilder) throws -> Void)? = nil

    func build(_ query: GroupByQuery) throws -> SQLBuilder {
        let object = reads.object
        guard !query.dimensions.isEmpty else { throw AtriumError(.badRequest, "group_by needs at least one field") }
        guard (0...GroupByQuery.maximumLimit).contains(query.limit) else {
            throw AtriumError(.badRequest, "limit must be an integer between 0 and \(GroupByQuery.maximumLimit)")
        }
        try reads.requireReadable(query.dimensions.map(\.path.field) + query.recordsOrder.map(\.path.field))
        try reads.requireReadable(aggregates: query.aggregates + query.order.map(\.path.field))
        let dimensions = try query.dimensions.map { dimension -> (path: FieldPath, sql: (String) throws -> String) in
            let resolved = try object.resolve(dimension.path, primaryPropertyByDefault: true)
            guard resolved.column.type != .jsonb, resolved.column.type != .tsvector else {
                throw AtriumError(.validationFailed, "Cannot group by '\(resolved.label)'")
            }
            if dimension.granularity != nil, resolved.column.type != .timestamptz, resolved.column.type != .date {
                throw AtriumError(.validationFailed, "A granularity applies only to date fields, not '\(resolved.label)'")
            }
            let column = try SQLIdentifier(resolved.column.name)
            return (dimension.path, { alias in Self.dimension("\(alias).\(column)", resolved.column.type, dimension.granularity) })
        }
        var aggregates = [try RecordAggregate("totalCount", object: object)]
        for name in query.aggregates where name != "totalCount" { aggregates.append(try RecordAggregate(name, object: object)) }

        var orderItems: [String] = []
        for term in query.order {
            let direction = "\(term.direction.isAscending ? "ASC" : "DESC") NULLS \(term.direction.nullsFirst ? "FIRST" : "LAST")"
            if term.path.subfield == nil, let aggregate = aggregates.first(where: { $0.name == term.path.field })
                ?? (try? RecordAggregate(term.path.field, object: object)) {
                orderItems.append("\(try aggregate.sql(alias: "a")) \(direction)")
            } else if let index = dimensions.firstIndex(where: { $0.path == term.path || ($0.path.field == term.path.field && term.path.subfield == nil) }) {
                orderItems.append("\(try dimensions[index].sql("a")) \(direction)")
            } else {
                throw AtriumError(.validationFailed, "order_by '\(term.path)' must name a group_by field or an aggregate")
            }
        }
        for dimension in dimensions { orderItems.append("\(try dimension.sql("a")) ASC NULLS FIRST") }
        let order = orderItems.joined(separator: ", ")

        var sql = SQLBuilder()
        let pass = GroupPass()
        let values = "json_build_array(" + dimensions.indices.map { "g.d\($0)" }.joined(separator: ", ") + ")"
        sql.append("SELECT ")
        try envelope.wrap(&sql) { sql in
            sql.append("COALESCE(json_agg(")
            if let render {
                try render(pass, values, &sql)
            } else {
                try appendGroup(aggregates: aggregates, values: values, query: query, pass: pass, to: &sql)
            }
            sql.append(" ORDER BY g.n), '[]'::json)")
        }
        sql.append("::text FROM (")
        if let fixed = query.fixedGroups {
            guard dimensions.count == 1 else { throw AtriumError(.badRequest, "Fixed groups need exactly one group_by field") }
            // Every fixed group, in its order, with the grouped pass's row when records fall in it (an empty group
            // counts 0 and lists no records).
            sql.append("SELECT v.d0, COALESCE(x.a0, 0) AS a0")
            for index in aggregates.indices.dropFirst() { sql.append(", x.a\(index)") }
            for (index, empty) in pass.emptyValues.enumerated() {
                sql.append(empty.map { ", COALESCE(x.c\(index), \($0)) AS c\(index)" } ?? ", x.c\(index)")
            }
            sql.append(", v.n FROM (SELECT NULLIF(u.value, '') AS d0, u.n FROM unnest(")
            sql.bind(fixed)
            sql.append("::text[]) WITH ORDINALITY AS u(value, n)) v LEFT JOIN (SELECT ")
            try appendGroupedPass(dimensions: dimensions, aggregates: aggregates, pass: pass, query: query, extra: nil, to: &sql)
            sql.append(") x ON x.d0 IS NOT DISTINCT FROM v.d0 ORDER BY v.n LIMIT \(query.limit)) g")
            return sql
        }
        sql.append("SELECT ")
        try appendGroupedPass(dimensions: dimensions, aggregates: aggregates, pass: pass, query: query,
                              extra: "row_number() OVER (ORDER BY \(order)) AS n", to: &sql)
        sql.append(" ORDER BY \(order) LIMIT \(query.limit)) g")
        return sql
    }

    /// `d0…, a0…, c0…[, extra] FROM <table> a WHERE <matching> GROUP BY <dimensions>`: one row per group the records
    /// make.
    private func appendGroupedPass(
        dimensions: [(path: FieldPath, sql: (String) throws -> String)], aggregates: [RecordAggregate], pass: GroupPass,
        query: GroupByQuery, extra: String?, to sql: inout SQLBuilder
    ) throws {
        var items: [String] = []
        for (index, dimension) in dimensions.enumerated() { items.append("\(try dimension.sql("a")) AS d\(index)") }
        for (index, aggregate) in aggregates.enumerated() { items.append("\(try aggregate.sql(alias: "a")) AS a\(index)") }
        for (index, column) in pass.columns.enumerated() { items.append("\(try column("a")) AS c\(index)") }
        if let extra { items.append(extra) }
        sql.append(items.joined(separator: ", "))
        sql.append(" FROM \(reads.schema).\(reads.table) a WHERE ")
        try reads.appendMatching(query.filter, alias: "a", to: &sql)
        sql.append(" GROUP BY " + dimensions.indices.map { "\($0 + 1)" }.joined(separator: ", "))
    }

    /// REST's group: `{"groupByDimensionValues":[…],"totalCount":n,<aggregates>…}`, and with `recordsSample` its first
    /// records in `recordsOrder` as `records`.
    private func appendGroup(
        aggregates: [RecordAggregate], values: String, query: GroupByQuery, pass: GroupPass, to sql: inout SQLBuilder
    ) throws {
        var pairs: [(String, String)] = [("groupByDimensionValues", values)]
        for (index, aggregate) in aggregates.enumerated() { pairs.append((try SQLIdentifier(aggregate.name).name, "g.a\(index)")) }
        guard pairs.count < 49 else { throw AtriumError(.badRequest, "Too many aggregates in one request") }
        sql.append("json_build_object(" + pairs.map { "'\($0.0)', \($0.1)" }.joined(separator: ", "))
        if query.recordsSample {
            let recordOrder = try RecordOrdering(query.recordsOrder, object: reads.object)
            let sample = pass.column { alias in
                "(array_agg(\(alias).\"id\" ORDER BY \(try recordOrder.sql(alias: alias))))[1:\(query.sampleSize)]"
            }
            sql.append(", 'records', (SELECT COALESCE(json_agg(")
            try renderer.record(.allFields(), of: reads.object, alias: "r", to: &sql)
            sql.append(" ORDER BY \(try recordOrder.sql(alias: "r"))), '[]'::json) ")
            sql.append("FROM (SELECT * FROM \(reads.schema).\(reads.table) s WHERE s.\"id\" = ANY(\(sample))) r)")
        }
        sql.append(")")
    }

    /// The grouped pass as a group's renderer sees it: expressions over each group's matching records (in the table
    /// alias given) that the pass computes alongside the dimensions, read back per group as `g."c<N>"`. A group's
    /// aggregates and the ids of the records it shows come from the one pass over the matching records, so the records
    /// are then fetched by primary key: there is no scan of the table per group.
    final class GroupPass {
        private(set) var columns: [(String) throws -> String] = []
        /// Per column, its value for a group no record falls in (a count's 0); nil: NULL.
        private(set) var emptyValues: [String?] = []

        /// The reference, in the group's row, to `expression` computed over the group's records.
        /// - Parameter whenEmpty: The value of a fixed group no record falls in (``GroupByQuery/fixedGroups``).
        func column(whenEmpty: String? = nil, _ expression: @escaping (String) throws -> String) -> String {
            columns.append(expression)
            emptyValues.append(whenEmpty)
            return "g.\"c\(columns.count - 1)\""
        }
    }

    /// A dimension's value as text (dates bucketed by `granularity`).
    static func dimension(_ reference: String, _ type: ColumnType, _ granularity: GroupByQuery.Granularity?) -> String {
        guard type == .timestamptz || type == .date else { return "\(reference)::text" }
        let value = type == .timestamptz ? "(\(reference) AT TIME ZONE 'UTC')" : reference
        switch granularity ?? .none {
        case .day: return "to_char(\(value), 'YYYY-MM-DD')"
        case .week: return "to_char(date_trunc('week', \(value)), 'YYYY-MM-DD')"
        case .month: return "to_char(\(value), 'YYYY-MM')"
        case .quarter: return "to_char(\(value), 'YYYY-\"Q\"Q')"
        case .year: return "to_char(\(value), 'YYYY')"
        case .dayOfTheWeek: return "to_char(\(value), 'FMDay')"
        case .monthOfTheYear: return "to_char(\(value), 'FMMonth')"
        case .quarterOfTheYear: return "to_char(\(value), '\"Q\"Q')"
        case .none: return type == .timestamptz ? "to_char(\(value), 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')" : "\(reference)::text"
        }
    }
}
