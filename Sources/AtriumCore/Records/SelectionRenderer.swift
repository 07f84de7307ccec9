import Foundation
import Synchronization

/// Renders a ``RecordTree`` or ``ConnectionTree`` as one JSON expression built inside PostgreSQL, with the client's
/// response keys, relations as correlated subqueries to any depth, and nested filters bound like any other value. It is
/// the one renderer of both APIs: GraphQL's selections, and REST's `depth`/`fields` (``RecordTree/Preset``) and
/// envelopes (``ConnectionTree`` values, ``RecordEnvelope``).
///
/// Everything is appended to one ``SQLBuilder`` in order, because nested filters bind values as they go. The
/// expressions are trusted SQL text: identifiers come from metadata through ``SQLIdentifier``, response keys pass
/// ``literal(_:)``, and values are bound.
struct SelectionRenderer {
    let workspace: WorkspaceSchema
    /// What the caller may read: unreadable fields refused, relations limited by row-level rules.
    let access: RecordAccess
    let schema: SQLIdentifier
    let aliases = Aliases()

    init(_ scope: RecordScope) throws {
        self.workspace = scope.workspace
        self.access = scope.access
        self.schema = try SQLIdentifier(workspace.databaseSchema)
    }

    /// Fresh table aliases for one statement (`r0`, `r1`, …).
    final class Aliases: Sendable {
        private let counter = Atomic<Int>(0)
        /// The number of the next alias.
        var next: Int { counter.load(ordering: .relaxed) }
        /// Marks `count` aliases as used (by an expression taken from ``RenderedRecordCache``).
        func skip(_ count: Int) { counter.add(count, ordering: .relaxed) }
        func make() -> String {
            "r\(counter.add(1, ordering: .relaxed).oldValue)"
        }
    }

    // MARK: - Records

    /// `json_build_object(…)` for the record in table alias `alias`.
    ///
    /// A preset (REST's selection) is expanded against the object and the caller's policy; the SQL it gives is kept in
    /// the role's ``RenderedRecordCache`` when it binds no value, so the next request with the same preset reuses it.
    func record(_ tree: RecordTree, of object: WorkspaceSchema.Object, alias: String, to sql: inout SQLBuilder) throws {
        guard let preset = tree.preset else {
            try refuseUnreadable(tree, of: object)
            return try entries(tree.entries, of: object, alias: alias, to: &sql)
        }
        guard let cache = access.renderedRecords else {
            return try entries(try expand(preset, of: object), of: object, alias: alias, to: &sql)
        }
        let key = RenderedRecordCache.Key(metadataVersion: workspace.metadataVersion, object: object.id, alias: alias,
                                          preset: preset, firstNestedAlias: aliases.next)
        if let (expression, aliasCount) = cache.expression(for: key) {
            aliases.skip(aliasCount)
            sql.append(expression)
            return
        }
        let (bindings, firstAlias) = (sql.bindingCount, aliases.next)
        let expression = try sql.fragment { sql in try entries(try expand(preset, of: object), of: object, alias: alias, to: &sql) }
        sql.append(expression)
        if sql.bindingCount == bindings { cache.keep((expression, aliases.next - firstAlias), for: key) }
    }

    /// Refuses (403) a selection of a field the caller may not read, as Twenty's GraphQL does.
    private func refuseUnreadable(_ tree: RecordTree, of object: WorkspaceSchema.Object) throws {
        let unreadable = try access.policy(for: object, in: workspace).unreadableFields
        guard !unreadable.isEmpty else { return }
        for entry in tree.entries {
            switch entry.value {
            case .field(let name) where unreadable.contains(name) || (name.hasSuffix("Id") && unreadable.contains(String(name.dropLast(2)))),
                 .composite(let name, _, _) where unreadable.contains(name),
                 .toOne(let name, _) where unreadable.contains(name),
                 .toMany(let name, _) where unreadable.contains(name),
                 .toManyArray(let name, _) where unreadable.contains(name):
                throw AtriumError.permissionDenied()
            default:
                continue
            }
        }
    }

    /// The entries a preset stands for: every active field the caller may read (only the preset's `fields`, and `id`,
    /// when given), in the object's field order; relations as `<name>Id`, and at depth 1 the related records' own fields
    /// when the caller may read that object (Twenty's REST leaves the rest out).
    func expand(_ preset: RecordTree.Preset, of object: WorkspaceSchema.Object) throws -> [(key: String, value: RecordTree.Value)] {
        let unreadable = try access.policy(for: object, in: workspace).unreadableFields
        var entries: [(key: String, value: RecordTree.Value)] = []
        func mayRead(_ target: WorkspaceSchema.Object) throws -> Bool {
            guard preset.depth > 0 else { return false }
            return try access.policy(for: target, in: workspace).permissions.canReadObjectRecords
        }
        for field in object.fields where field.isActive {
            if let fields = preset.fields, field.name != "id", !fields.contains(field.name) { continue }
            if unreadable.contains(field.name) { continue }
            switch field.storage {
            case .hidden:
                continue
            case .scalar:
                entries.append((field.name, .field(field.name)))
            case .composite(let properties):
                entries.append((field.name, .composite(field: field.name, properties: properties.map { ($0.property, $0.property) }, typeName: "")))
            case .foreignKey(let column, let target):
                entries.append((column.name, .field(column.name)))
                if try mayRead(target) { entries.append((field.name, .toOne(field: field.name, .allFields()))) }
            case .morph(let targets):
                for (column, _) in targets { entries.append((column.name, .field(column.name))) }
            case .oneToMany(let target, let inverse):
                guard try mayRead(target), inverse.keyColumn(pointingAt: object) != nil else { continue }
                entries.append((field.name, .toManyArray(field: field.name, .allFields())))
            }
        }
        return entries
    }

    private func entries(
        _ entries: [(key: String, value: RecordTree.Value)], of object: WorkspaceSchema.Object, alias: String, to sql: inout SQLBuilder
    ) throws {
        try Self.object(entries, to: &sql) { value, sql in
            try self.value(value, of: object, alias: alias, to: &sql)
        }
    }

    private func value(_ value: RecordTree.Value, of object: WorkspaceSchema.Object, alias: String, to sql: inout SQLBuilder) throws {
        switch value {
        case .constant(let text):
            sql.append(try Self.literal(text))
        case .field(let name):
            sql.append(try Self.value(try column(named: name, of: object), alias: alias))
        case .composite(let name, let properties, let typeName):
            guard let field = object.field(named: name), field.isActive, case .composite(let columns) = field.storage else {
                throw AtriumError(.validationFailed, "Field '\(name)' of '\(object.nameSingular)' is not a composite field")
            }
            try Self.object(properties.map { (key: $0.key, value: $0.property) }, to: &sql) { property, sql in
                if property == "__typename" {
                    sql.append(try Self.literal(typeName))
                } else if let column = columns.first(where: { $0.property == property })?.column {
                    sql.append(try Self.value(column, alias: alias))
                } else {
                    throw AtriumError(.validationFailed, "Field '\(name)' has no property '\(property)'")
                }
            }
        case .toOne(let name, let tree):
            guard let field = object.field(named: name), field.isActive, case .foreignKey(let column, let target) = field.storage else {
                throw AtriumError(.validationFailed, "Field '\(name)' of '\(object.nameSingular)' is not a to-one relation")
            }
            try access.policy(for: target, in: workspace).require(.read)
            let nested = aliases.make()
            sql.append("(SELECT ")
            try record(tree, of: target, alias: nested, to: &sql)
            sql.append(" FROM \(schema).\(try SQLIdentifier(target.targetTableName)) \(nested) WHERE \(nested).\"id\" = "
                + "\(alias).\(try SQLIdentifier(column.name)) AND \(nested).\"deletedAt\" IS NULL")
            try RecordReadStatements(object: target, schema: workspace, access: access).appendRowLevel(alias: nested, to: &sql)
            sql.append(")")
        case .toMany(let name, let tree):
            let (target, key) = try toMany(name, of: object)
            try connection(tree, of: target, scope: { inner in "\(inner).\(key) = \(alias).\"id\"" }, to: &sql)
        case .toManyArray(let name, let tree):
            let (target, key) = try toMany(name, of: object)
            let (nested, inner) = (aliases.make(), aliases.make())
            sql.append("COALESCE((SELECT json_agg(")
            try record(tree, of: target, alias: nested, to: &sql)
            sql.append(" ORDER BY \(nested).\"id\") FROM (SELECT * FROM \(schema).\(try SQLIdentifier(target.targetTableName)) \(inner) "
                + "WHERE \(inner).\(key) = \(alias).\"id\" AND \(inner).\"deletedAt\" IS NULL")
            try RecordReadStatements(object: target, schema: workspace, access: access).appendRowLevel(alias: inner, to: &sql)
            sql.append(" ORDER BY \(inner).\"id\" LIMIT \(RecordTree.nestedLimit)) \(nested)), '[]'::json)")
        }
    }

    /// The target of a to-many relation the caller may read, and the column of the target's table that points back.
    private func toMany(_ name: String, of object: WorkspaceSchema.Object) throws -> (WorkspaceSchema.Object, SQLIdentifier) {
        guard let field = object.field(named: name), field.isActive, case .oneToMany(let target, let inverse) = field.storage,
              let key = inverse.keyColumn(pointingAt: object)
        else {
            throw AtriumError(.validationFailed, "Field '\(name)' of '\(object.nameSingular)' is not a to-many relation")
        }
        try access.policy(for: target, in: workspace).require(.read)
        return (target, try SQLIdentifier(key))
    }

    /// The column of a scalar field or of a relation's `<name>Id`, by name.
    func column(named name: String, of object: WorkspaceSchema.Object) throws -> RecordColumn {
        if let field = object.field(named: name), field.isActive, case .scalar(let column) = field.storage { return column }
        for field in object.fields where field.isActive {
            switch field.storage {
            case .foreignKey(let column, _) where column.name == name: return column
            case .morph(let targets):
                if let column = targets.first(where: { $0.column.name == name })?.column { return column }
            default: continue
            }
        }
        throw AtriumError(.validationFailed, "Object '\(object.nameSingular)' has no field '\(name)'")
    }

    /// The JSON value of one column: timestamps in Twenty's ISO form (`2024-01-31T09:30:00.000Z`), others as Postgres
    /// renders them (numbers as numbers, enums as strings, arrays as arrays).
    static func value(_ column: RecordColumn, alias: String) throws -> String {
        let reference = "\(alias).\(try SQLIdentifier(column.name))"
        switch column.type {
        case .timestamptz: return "to_char(\(reference) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        default: return reference
        }
    }

    // MARK: - Connections

    /// A JSON expression for the connection over `object`'s live records matching the page's filter and, for nested
    /// connections, `scope` (a trusted condition over the given table alias, correlating with the parent record).
    /// For a group-by group, `group` is the grouped pass (which computes the group's aggregates and the ids of its
    /// page's candidates) and `dimensionValues` the trusted expression its `groupByDimensionValues` renders.
    ///
    /// The page is cut by keyset (after or before a cursor's record, in the page's order with `id` last) and numbered;
    /// its lists (edges, nodes) and page info come from one pass over it. Aggregates come from one pass over every
    /// matching record, except a lone `totalCount` on a first page: a page shorter than its limit holds every match, so
    /// its size is the total and the count runs only when the page is full.
    func connection(
        _ tree: ConnectionTree, of object: WorkspaceSchema.Object, scope: ((String) throws -> String)? = nil,
        group: RecordGroupByStatement.GroupPass? = nil, dimensionValues: String? = nil, to sql: inout SQLBuilder
    ) throws {
        let page = tree.page
        let backwards = page.last != nil || page.before != nil
        let limit = try Self.limit(page)
        let offset = page.offset ?? 0
        let reads = try RecordReadStatements(object: object, schema: workspace, access: access)
        let table = "\(schema).\(try SQLIdentifier(object.targetTableName))"
        var (aggregates, lists) = ([AggregateField](), [ConnectionTree.Value]())
        Self.walk(tree.entries) { value in
            switch value {
            case .aggregate(let field): aggregates.append(field)
            case .edges, .nodes: lists.append(value)
            default: break
            }
        }
        try reads.requireReadable(aggregates.compactMap(\.field))
        var needsPage = !lists.isEmpty
        Self.walk(tree.entries) { value in if case .pageInfo = value { needsPage = true } }
        let (aggregateAlias, pageAlias, rowAlias, matchAlias) = (aliases.make(), aliases.make(), aliases.make(), aliases.make())
        let cursorID = try (page.before ?? page.after).map(RecordReadStatements.cursorID)
        // A group's aggregates come from the grouped pass, as does the list of record ids its page is cut from: the
        // group's first `offset + limit + 1` in the page's order (all of them after a cursor), fetched by primary key.
        let aggregateColumns = group.map { group in
            aggregates.map { aggregate in
                let counts: Set<AggregateField.Operation> = [.count, .countEmpty, .countNotEmpty, .countUniqueValues, .countTrue, .countFalse]
                return group.column(whenEmpty: counts.contains(aggregate.operation) ? "0" : nil) { alias in
                    try AggregateExpression(aggregate, object: object, alias: alias).sql
                }
            }
        }
        let countsFromPage = needsPage && group == nil && cursorID == nil && offset == 0
            && !aggregates.isEmpty && aggregates.allSatisfy { $0.operation == .count && $0.field == nil }
        var scope = scope
        if let group, needsPage {
            let ordering = try RecordOrdering(page.order, object: object)
            let ids = group.column { alias in
                "(array_agg(\(alias).\"id\" ORDER BY \(try ordering.sql(alias: alias, reversed: backwards))))" + (cursorID != nil ? "" : "[1:\(offset + limit + 1)]")
            }
            scope = { alias in "\(alias).\"id\" = ANY(\(ids))" }
        }
        func appendWhere(_ alias: String, _ sql: inout SQLBuilder) throws {
            try reads.appendMatching(page.filter, alias: alias, to: &sql)
            if let scope { sql.append(" AND " + (try scope(alias))) }
        }

        sql.append("(SELECT ")
        // A cursor is a record id: once that record is destroyed its place is unknown, so the page is refused (a
        // soft-deleted record still holds its place).
        if needsPage, let cursorID {
            sql.append("CASE WHEN EXISTS (SELECT 1 FROM \(table) WHERE \"id\" = ")
            sql.bind(cursorID.lowercased)
            sql.append("::uuid) THEN ")
        }
        var (aggregateIndex, listIndex) = (0, 0)
        func render(_ value: ConnectionTree.Value, _ sql: inout SQLBuilder) throws {
            switch value {
            case .constant(let text):
                sql.append(try Self.literal(text))
            case .object(let entries):
                try Self.object(entries, to: &sql, render)
            case .aggregate:
                if countsFromPage {
                    let counted = aliases.make()
                    sql.append("CASE WHEN \(pageAlias).\"n\" <= \(limit) THEN \(pageAlias).\"n\" ELSE (SELECT count(*) FROM \(table) \(counted) WHERE ")
                    try appendWhere(counted, &sql)
                    sql.append(") END")
                } else {
                    sql.append(aggregateColumns?[aggregateIndex] ?? "\(aggregateAlias).\"a\(aggregateIndex)\"")
                }
                aggregateIndex += 1
            case .dimensionValues:
                guard let dimensionValues else { throw AtriumError(.badRequest, "groupByDimensionValues exists only on group-by results") }
                sql.append(dimensionValues)
            case .pageInfo(let entries):
                try Self.object(entries, to: &sql) { value, sql in
                    switch value {
                    case .constant(let text): sql.append(try Self.literal(text))
                    // As Twenty (getPaginationInfo): more rows in the paging direction, the other flag false.
                    case .hasNextPage:
                        sql.append(backwards ? "FALSE" : "(\(pageAlias).\"n\" > \(limit))")
                    case .hasPreviousPage:
                        sql.append(backwards ? "(\(pageAlias).\"n\" > \(limit))" : "FALSE")
                    case .startCursor: sql.append("\(pageAlias).\"\(backwards ? "last" : "first")\"")
                    case .endCursor: sql.append("\(pageAlias).\"\(backwards ? "first" : "last")\"")
                    }
                }
            case .edges, .nodes:
                sql.append("COALESCE(\(pageAlias).\"l\(listIndex)\", '[]'::json)")
                listIndex += 1
            }
        }
        try Self.object(tree.entries, to: &sql, render)
        if needsPage, let cursorID { RecordReadStatements.appendCursorRefusal(cursorID, to: &sql) }
        var sources: [String] = []
        let aggregatesInFrom = !aggregates.isEmpty && aggregateColumns == nil && !countsFromPage
        if aggregatesInFrom { sources.append(aggregateAlias) }
        if needsPage { sources.append(pageAlias) }
        guard !sources.isEmpty else {
            sql.append(")")
            return
        }
        sql.append(" FROM ")
        if aggregatesInFrom {
            sql.append("(SELECT ")
            for (index, aggregate) in aggregates.enumerated() {
                if index > 0 { sql.append(", ") }
                sql.append("\(try AggregateExpression(aggregate, object: object, alias: matchAlias).sql) AS \"a\(index)\"")
            }
            sql.append(" FROM \(table) \(matchAlias) WHERE ")
            try appendWhere(matchAlias, &sql)
            sql.append(") \(aggregateAlias)")
            if needsPage { sql.append(" CROSS JOIN ") }
        }
        if needsPage {
            try reads.requireReadable(page.order.map(\.path.field))
            let ordering = try RecordOrdering(page.order, object: object)
            let shown = "FILTER (WHERE \(rowAlias).\"__n\" <= \(limit))"
            sql.append("(SELECT count(*) AS \"n\", ")
            for (index, list) in lists.enumerated() {
                sql.append("json_agg(")
                switch list {
                case .edges(let edges):
                    try Self.object(edges, to: &sql) { value, sql in
                        switch value {
                        case .constant(let text): sql.append(try Self.literal(text))
                        case .cursor: sql.append("\(rowAlias).\"id\"")
                        case .node(let node): try record(node, of: object, alias: rowAlias, to: &sql)
                        }
                    }
                case .nodes(let node):
                    try record(node, of: object, alias: rowAlias, to: &sql)
                default:
                    break
                }
                sql.append(" ORDER BY \(rowAlias).\"__n\"\(backwards ? " DESC" : "")) \(shown) AS \"l\(index)\", ")
            }
            sql.append("(array_agg(\(rowAlias).\"id\" ORDER BY \(rowAlias).\"__n\") \(shown))[1] AS \"first\", ")
            sql.append("(array_agg(\(rowAlias).\"id\" ORDER BY \(rowAlias).\"__n\" DESC) \(shown))[1] AS \"last\" FROM (")
            // Cut the page first (a bounded top-N sort, or an index scan that stops early), then number its rows.
            let order = try ordering.sql(alias: matchAlias, reversed: backwards)
            sql.append("SELECT \(matchAlias).*, row_number() OVER (ORDER BY \(order)) AS \"__n\" FROM (SELECT \(matchAlias).* ")
            sql.append("FROM \(table) \(matchAlias)")
            if let cursorID {
                sql.append(", (SELECT * FROM \(table) WHERE \"id\" = ")
                sql.bind(cursorID.lowercased)
                sql.append("::uuid) \(matchAlias)c")
            }
            sql.append(" WHERE ")
            try appendWhere(matchAlias, &sql)
            if cursorID != nil {
                sql.append(" AND \(try ordering.after(alias: matchAlias, cursor: "\(matchAlias)c", reversed: backwards))")
            }
            sql.append(" ORDER BY \(order) LIMIT \(limit + 1) OFFSET \(offset)) \(matchAlias)) \(rowAlias)) \(pageAlias)")
        }
        sql.append(")")
    }

    /// Calls `visit` on every value of `entries`, nested objects walked depth-first in response order (the order
    /// ``connection(_:of:scope:group:dimensionValues:to:)`` renders them in).
    private static func walk(_ entries: [(key: String, value: ConnectionTree.Value)], _ visit: (ConnectionTree.Value) -> Void) {
        for (_, value) in entries {
            visit(value)
            if case .object(let inner) = value { walk(inner, visit) }
        }
    }

    /// The page size: `first` or `last` (not both), 60 by default, at most 200.
    /// - Throws: also when `offset` is negative.
    static func limit(_ page: PageRequest) throws -> Int {
        if page.first != nil, page.last != nil { throw AtriumError(.badRequest, "Use either 'first' or 'last', not both") }
        if page.after != nil, page.before != nil { throw AtriumError(.badRequest, "Use either 'after' or 'before', not both") }
        if let offset = page.offset, offset < 0 { throw AtriumError(.badRequest, "'offset' must not be negative") }
        let limit = page.first ?? page.last ?? PageRequest.defaultLimit
        guard (0...PageRequest.maximumLimit).contains(limit) else {
            throw AtriumError(.badRequest, "'first' and 'last' must be between 0 and \(PageRequest.maximumLimit)")
        }
        return limit
    }

    // MARK: - JSON building

    /// `json_build_object('key', value, …)`, split into chunks merged as jsonb past PostgreSQL's 100 arguments.
    static func object<Value>(
        _ entries: [(key: String, value: Value)], to sql: inout SQLBuilder, _ render: (Value, inout SQLBuilder) throws -> Void
    ) throws {
        let chunk = 50
        guard entries.count > chunk else {
            sql.append("json_build_object(")
            for (index, entry) in entries.enumerated() {
                sql.append(index == 0 ? "" : ", ")
                sql.append(try literal(entry.key) + ", ")
                try render(entry.value, &sql)
            }
            sql.append(")")
            return
        }
        sql.append("(")
        for start in stride(from: 0, to: entries.count, by: chunk) {
            if start > 0 { sql.append(" || ") }
            try object(Array(entries[start..<min(start + chunk, entries.count)]), to: &sql, render)
            sql.append("::jsonb")
        }
        sql.append(")::json")
    }

    /// A response key or type name as a SQL string literal. Only GraphQL names (`[_A-Za-z][_0-9A-Za-z]*`) are
    /// accepted, so the text can never hold a quote.
    static func literal(_ name: String) throws -> String {
        let bytes = Array(name.utf8)
        func allowed(_ byte: UInt8, first: Bool) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): !first
            default: false
            }
        }
        guard let head = bytes.first, allowed(head, first: true), bytes.dropFirst().allSatisfy({ allowed($0, first: false) }) else {
            throw AtriumError(.validationFailed, "'\(name)' is not a valid name")
        }
        return "'" + name + "'"
    }
}
