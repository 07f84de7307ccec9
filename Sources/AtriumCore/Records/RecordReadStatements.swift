import Foundation

/// Builds the statements that read records. Each returns the whole response body as one JSON text, rendered by
/// PostgreSQL: one statement per request, whatever the depth.
struct RecordReadStatements {
    let object: WorkspaceSchema.Object
    let schema: SQLIdentifier
    let table: SQLIdentifier
    /// The snapshot the statements are built against.
    let workspace: WorkspaceSchema
    /// What the caller may read and write: the statements are limited by it.
    let access: RecordAccess
    /// The caller's policy on ``object``, worked out before any SQL is built.
    let policy: ObjectPolicy

    init(object: WorkspaceSchema.Object, schema: WorkspaceSchema, access: RecordAccess) throws {
        self.object = object
        self.schema = try SQLIdentifier(schema.databaseSchema)
        self.table = try SQLIdentifier(object.targetTableName)
        self.workspace = schema
        self.access = access
        self.policy = try access.policy(for: object, in: schema)
    }

    /// The statements of the scope's object, for its caller.
    init(_ scope: RecordScope) throws {
        try self.init(object: scope.object, schema: scope.workspace, access: scope.access)
    }

    var renderer: RecordRenderer { RecordRenderer(schema: schema, access: access, workspace: workspace) }

    /// Refuses a filter or order on a field the caller may not read (403).
    func requireReadable(_ fields: [String]) throws {
        if fields.contains(where: policy.isUnreadable) { throw AtriumError.permissionDenied() }
    }

    /// Refuses (403) an aggregate named like `sumEmployees` over a field the caller may not read.
    func requireReadable(aggregates names: [String]) throws {
        let unreadable = policy.unreadableFields.map(\.capitalizedFirst)
        guard !unreadable.isEmpty else { return }
        for name in names {
            guard let operation = RecordAggregate.Operation.allCases.first(where: { name.hasPrefix($0.rawValue) }) else { continue }
            let rest = name.dropFirst(operation.rawValue.count)
            if unreadable.contains(where: { rest.hasPrefix($0) }) { throw AtriumError.permissionDenied() }
        }
    }

    /// ` AND (<row-level condition>)` when the caller's role has row-level predicates on the object.
    func appendRowLevel(alias: String, to sql: inout SQLBuilder) throws {
        guard let filter = policy.rowFilter else { return }
        sql.append(" AND ")
        try FilterCompiler(object: object, schema: schema, alias: alias).append(filter, to: &sql)
    }

    /// `{"data":{"<key>":[…]},"totalCount":n,"pageInfo":{…}}` for one page.
    func findMany(_ query: FindManyQuery, key: String) throws -> SQLBuilder {
        guard (0...FindManyQuery.maximumLimit).contains(query.limit) else {
            throw AtriumError(.badRequest, "limit must be an integer between 0 and \(FindManyQuery.maximumLimit)")
        }
        try requireReadable(query.order.map(\.path.field))
        let ordering = try RecordOrdering(query.order, object: object)
        let backwards = if case .before = query.cursor { true } else { false }
        let cursorID: UUID? = switch query.cursor {
        case .after(let cursor), .before(let cursor): try Self.cursorID(cursor)
        case nil: nil
        }
        let limit = query.limit
        var sql = SQLBuilder()
        sql.append("WITH matching AS NOT MATERIALIZED (SELECT * FROM \(schema).\(table) a WHERE ")
        try appendMatching(query.filter, alias: "a", to: &sql)
        if let cursorID {
            // The cursor's record (soft-deleted or not), for its place in the order.
            sql.append("), cursor_row AS NOT MATERIALIZED (SELECT * FROM \(schema).\(table) WHERE \"id\" = ")
            sql.bind(cursorID.lowercased)
            sql.append("::uuid")
        }
        // The page is cut (a bounded top-N sort, or an index scan that stops early) before its rows are numbered: a
        // window over every matching row would sort them all.
        let order = try ordering.sql(alias: "m", reversed: backwards)
        sql.append("), page AS (SELECT m.*, row_number() OVER (ORDER BY \(order)) AS \"__n\" FROM (SELECT m.* FROM matching m")
        if cursorID != nil {
            sql.append(", cursor_row c WHERE \(try ordering.after(alias: "m", cursor: "c", reversed: backwards))")
        }
        sql.append(" ORDER BY \(order) LIMIT \(limit + 1)) m) SELECT (")
        // A cursor is a record id: once that record is destroyed its place is unknown, and an empty page would read as
        // the end of the list, so the page is refused (a soft-deleted record still holds its place).
        if cursorID != nil { sql.append("CASE WHEN EXISTS (SELECT 1 FROM cursor_row) THEN ") }
        sql.append("json_build_object(")
        let aliases = RecordRenderer.Aliases()
        let record = try renderer.record(object, alias: "p", depth: query.selection.depth, fields: query.selection.fields.map(Set.init),
                                         aliases: aliases, binding: &sql)
        let shown = "FILTER (WHERE p.\"__n\" <= \(limit))"
        let first = "(array_agg(p.\"id\" ORDER BY p.\"__n\") \(shown))[1]"
        let last = "(array_agg(p.\"id\" ORDER BY p.\"__n\" DESC) \(shown))[1]"
        let more = "count(*) > \(limit)"
        sql.append("'data', json_build_object('\(try SQLIdentifier(key).name)', COALESCE(json_agg(\(record) ORDER BY p.\"__n\"\(backwards ? " DESC" : "")) \(shown), '[]'::json)), ")
        // Without a cursor, a page shorter than the limit holds every matching row, so its size is the total and the
        // count over all matching rows (an InitPlan, which PostgreSQL runs only when a CASE branch needs it) is skipped.
        let total = query.cursor == nil ? "CASE WHEN count(*) <= \(limit) THEN count(*) ELSE (SELECT count(*) FROM matching) END"
            : "(SELECT count(*) FROM matching)"
        sql.append("'totalCount', \(total), ")
        // As Twenty: more rows in the paging direction is hasNextPage forwards and hasPreviousPage backwards; the
        // other flag is false.
        sql.append("'pageInfo', json_build_object('hasNextPage', \(backwards ? "FALSE" : more), ")
        sql.append("'hasPreviousPage', \(backwards ? more : "FALSE"), ")
        sql.append("'startCursor', \(backwards ? last : first), 'endCursor', \(backwards ? first : last)))")
        if let cursorID { Self.appendCursorRefusal(cursorID, to: &sql) }
        sql.append(")::text FROM page p")
        return sql
    }

    /// `{"data":{"<key>":{…}}}` for the live record `id`, or no row.
    func findOne(_ id: UUID, selection: RecordSelection, key: String) throws -> SQLBuilder {
        var sql = SQLBuilder()
        let record = try renderer.record(object, alias: "p", depth: selection.depth, fields: selection.fields.map(Set.init), aliases: .init(),
                                         binding: &sql)
        sql.append("SELECT json_build_object('data', json_build_object('\(try SQLIdentifier(key).name)', \(record)))::text ")
        sql.append("FROM \(schema).\(table) p WHERE p.\"id\" = ")
        sql.bind(id.lowercased)
        sql.append("::uuid AND p.\"deletedAt\" IS NULL")
        try appendRowLevel(alias: "p", to: &sql)
        return sql
    }

    /// The filter, plus "not soft-deleted" unless the filter itself addresses `deletedAt` (Twenty's rule).
    func appendMatching(_ filter: RecordFilter?, alias: String, to sql: inout SQLBuilder) throws {
        let includesDeleted = filter?.mentions(field: "deletedAt") ?? false
        if !includesDeleted { sql.append("\(alias).\"deletedAt\" IS NULL AND ") }
        if let filter {
            try requireReadable(filter.fieldNames)
            try FilterCompiler(object: object, schema: schema, alias: alias).append(filter, to: &sql)
        } else {
            sql.append("TRUE")
        }
        try appendRowLevel(alias: alias, to: &sql)
    }

    /// ` ELSE core."atrium_refuse_cursor"(id) END`: the end of a `CASE WHEN <the cursor's record exists> THEN <page>`,
    /// raising SQLSTATE AT001 (a 400 naming the cursor) when it does not.
    static func appendCursorRefusal(_ cursorID: UUID, to sql: inout SQLBuilder) {
        sql.append(" ELSE core.\"atrium_refuse_cursor\"(")
        sql.bind(cursorID.lowercased)
        sql.append(") END")
    }

    /// Cursors are record ids (what Atrium hands out as `startCursor`/`endCursor`).
    static func cursorID(_ cursor: String) throws -> UUID {
        guard let id = UUID(text: cursor) else { throw AtriumError(.badRequest, "Invalid cursor '\(cursor)'") }
        return id
    }
}
