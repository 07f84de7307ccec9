import Synchronization
/// Renders records as JSON inside PostgreSQL, in Twenty's response shape: scalar fields as values, composite fields
/// as nested objects, many-to-one relations as `<name>Id`, and at depth 1 the related records themselves (to-one as an
/// object, to-many as an array).
///
/// The expressions it builds are trusted SQL text: identifiers come from metadata through ``SQLIdentifier`` and there
/// are no values in them, so they can be placed anywhere in a statement.
struct RecordRenderer {
    /// The workspace's PostgreSQL schema.
    let schema: SQLIdentifier
    /// The caller's access: fields it may not read are left out, and relations to objects it may not read; embedded
    /// related records are limited by the role's row-level predicates.
    let access: RecordAccess
    /// The snapshot `access` applies to (for row-level predicates).
    let workspace: WorkspaceSchema
    /// The most related records a to-many relation embeds at depth 1.
    static let nestedLimit = 60
    /// `json_build_object` takes at most 100 arguments.
    private static let pairsPerObject = 50

    /// Fresh table aliases for one statement.
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

    /// A JSON expression for the record in table alias `alias` of `object`.
    /// - Parameters:
    ///   - depth: 0 for the record's own fields, 1 to embed related records.
    ///   - fields: When set, only these fields (and `id`).
    ///   - sql: The statement the expression goes into: row-level predicates of embedded records bind their values there.
    func record(
        _ object: WorkspaceSchema.Object, alias: String, depth: Int, fields: Set<String>? = nil, aliases: Aliases, binding sql: inout SQLBuilder
    ) throws -> String {
        guard let cache = access.renderedRecords else {
            return try render(object, alias: alias, depth: depth, fields: fields, aliases: aliases, binding: &sql)
        }
        let key = RenderedRecordCache.Key(metadataVersion: workspace.metadataVersion, object: object.id, alias: alias, depth: depth,
                                          fields: fields, firstNestedAlias: aliases.next)
        if let (expression, aliasCount) = cache.expression(for: key) {
            aliases.skip(aliasCount)
            return expression
        }
        let (bindings, firstAlias) = (sql.bindingCount, aliases.next)
        let expression = try render(object, alias: alias, depth: depth, fields: fields, aliases: aliases, binding: &sql)
        if sql.bindingCount == bindings { cache.keep((expression, aliases.next - firstAlias), for: key) }
        return expression
    }

    private func render(
        _ object: WorkspaceSchema.Object, alias: String, depth: Int, fields: Set<String>?, aliases: Aliases, binding sql: inout SQLBuilder
    ) throws -> String {
        var pairs: [(String, String)] = []
        let unreadable = try access.policy(for: object, in: workspace).unreadableFields
        for field in object.fields where field.isActive {
            if let fields, field.name != "id", !fields.contains(field.name) { continue }
            if unreadable.contains(field.name) { continue }
            _ = try SQLIdentifier(field.name)  // names become JSON keys in SQL text: never a quote in them
            switch field.storage {
            case .hidden:
                continue
            case .scalar(let column):
                pairs.append((field.name, try Self.value(column, alias: alias)))
            case .composite(let properties):
                let inner = try properties.map { ($0.property, try Self.value($0.column, alias: alias)) }
                pairs.append((field.name, Self.object(inner)))
            case .foreignKey(let column, let target):
                pairs.append((column.name, try Self.value(column, alias: alias)))
                if depth > 0, try access.policy(for: target, in: workspace).permissions.canReadObjectRecords {
                    let nested = aliases.make()
                    let table = try SQLIdentifier(target.targetTableName)
                    let body = try ownFields(target, alias: nested, aliases: aliases)
                    let rowLevel = try rowLevel(target, alias: nested, binding: &sql)
                    pairs.append((field.name, "(SELECT \(body) FROM \(schema).\(table) \(nested) WHERE \(nested).\"id\" = "
                        + "\(alias).\(try SQLIdentifier(column.name)) AND \(nested).\"deletedAt\" IS NULL\(rowLevel))"))
                }
            case .morph(let targets):
                for (column, _) in targets { pairs.append((column.name, try Self.value(column, alias: alias))) }
            case .oneToMany(let target, let inverse):
                guard depth > 0, try access.policy(for: target, in: workspace).permissions.canReadObjectRecords else { continue }
                guard let keyColumn = inverse.keyColumn(pointingAt: object) else { continue }
                let nested = aliases.make()
                let table = try SQLIdentifier(target.targetTableName)
                let body = try ownFields(target, alias: nested, aliases: aliases)
                let key = try SQLIdentifier(keyColumn)
                let inner = aliases.make()
                let rowLevel = try rowLevel(target, alias: inner, binding: &sql)
                pairs.append((field.name, "COALESCE((SELECT json_agg(\(body) ORDER BY \(nested).\"id\") FROM (SELECT * FROM "
                    + "\(schema).\(table) \(inner) WHERE \(inner).\(key) = \(alias).\"id\" AND \(inner).\"deletedAt\" IS NULL\(rowLevel) ORDER BY \(inner).\"id\" LIMIT "
                    + "\(Self.nestedLimit)) \(nested)), '[]'::json)"))
            }
        }
        return Self.object(pairs)
    }

    /// The record's own fields (depth 0), which bind nothing.
    func record(_ object: WorkspaceSchema.Object, alias: String, depth: Int = 0, fields: Set<String>? = nil, aliases: Aliases) throws -> String {
        guard depth == 0 else { throw AtriumError(.internalError, "Embedding related records needs the statement to bind into") }
        var unused = SQLBuilder()
        return try record(object, alias: alias, depth: 0, fields: fields, aliases: aliases, binding: &unused)
    }

    /// An embedded record's own fields, rendered as part of the enclosing (cached) expression.
    private func ownFields(_ object: WorkspaceSchema.Object, alias: String, aliases: Aliases) throws -> String {
        var unused = SQLBuilder()
        return try render(object, alias: alias, depth: 0, fields: nil, aliases: aliases, binding: &unused)
    }

    /// ` AND <row-level condition over alias>` for `target`, its values bound in `sql`; empty without one.
    private func rowLevel(_ target: WorkspaceSchema.Object, alias: String, binding sql: inout SQLBuilder) throws -> String {
        guard let filter = try access.policy(for: target, in: workspace).rowFilter else { return "" }
        let schema = schema
        return try sql.fragment { fragment in
            fragment.append(" AND ")
            try FilterCompiler(object: target, schema: schema, alias: alias).append(filter, to: &fragment)
        }
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

    /// `json_build_object(…)` over `pairs`, split and merged when there are more than Postgres allows in one call.
    static func object(_ pairs: [(String, String)]) -> String {
        func build(_ slice: ArraySlice<(String, String)>) -> String {
            "json_build_object(" + slice.map { "'\($0.0)', \($0.1)" }.joined(separator: ", ") + ")"
        }
        guard pairs.count > pairsPerObject else { return build(pairs[...]) }
        let chunks = stride(from: 0, to: pairs.count, by: pairsPerObject).map { start in
            build(pairs[start..<min(start + pairsPerObject, pairs.count)]) + "::jsonb"
        }
        return "(" + chunks.joined(separator: " || ") + ")::json"
    }
}
