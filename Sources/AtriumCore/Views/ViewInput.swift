import Foundation
import Logging
import NIOCore

/// A create or update input of a view table, checked against its ``ViewEntity``: each given column's value as the text
/// PostgreSQL casts back (nil for null), or a 400 naming the first bad member.
enum ViewInput {
    /// The columns `input` sets. Creating, `id` may be given and the entity's required columns must be; updating,
    /// only updatable columns may be. Unknown members are refused.
    static func values(of entity: ViewEntity, from input: [String: JSONValue], creating: Bool) throws -> [String: String?] {
        var values: [String: String?] = [:]
        for (name, value) in input {
            if name == "id", creating {
                guard case .string(let text) = value, let id = UUID(text: text) else { throw AtriumError(.badRequest, "id must be a UUID") }
                values["id"] = id.lowercased
                continue
            }
            guard let column = entity.column(name) else {
                throw AtriumError(.badRequest, "\(name) is not a property of \(entity.typeName.dropFirst("Core".count))")
            }
            if !creating, !column.updatable { throw AtriumError(.badRequest, "\(name) cannot be changed") }
            values[name] = try text(of: value, for: column)
        }
        if creating {
            for column in entity.columns where column.required && values[column.name] == nil {
                throw AtriumError(.badRequest, "\(column.name) is required")
            }
        }
        return values
    }

    /// The value as text for `column`.
    private static func text(of value: JSONValue, for column: ViewColumn) throws -> String? {
        if value == .null {
            guard column.nullable, column.kind != .json else { throw AtriumError(.badRequest, "\(column.name) cannot be null") }
            return nil
        }
        func bad(_ expected: String) -> AtriumError { AtriumError(.badRequest, "\(column.name) must be \(expected)") }
        switch column.kind {
        case .uuid:
            guard case .string(let text) = value, let id = UUID(text: text) else { throw bad("a UUID") }
            return id.lowercased
        case .text:
            guard case .string(let text) = value else { throw bad("a string") }
            guard !text.contains("\u{0}") else { throw bad("a string without NUL characters") }
            return text
        case .integer:
            guard case .number(let number) = value, let whole = Int(exactly: number), abs(whole) <= Int(Int32.max) else { throw bad("an integer") }
            return String(whole)
        case .number:
            guard case .number(let number) = value, number.isFinite else { throw bad("a number") }
            return String(number)
        case .boolean:
            guard case .bool(let flag) = value else { throw bad("a boolean") }
            return flag ? "true" : "false"
        case .json:
            let data = try JSONEncoder().encode(value)
            return String(decoding: data, as: UTF8.self)
        case .choice(let choices):
            guard case .string(let text) = value, choices.contains(text) else { throw bad("one of \(choices.joined(separator: ", "))") }
            return text
        }
    }

    /// Appends the bound value cast to the column's type.
    static func appendValue(_ value: String?, of column: ViewColumn, to sql: inout SQLBuilder) throws {
        sql.bind(value)
        switch column.kind {
        case .uuid: sql.append("::uuid")
        case .text, .choice: sql.append("::text")
        case .integer: sql.append("::int4")
        case .number: sql.append("::float8")
        case .boolean: sql.append("::boolean")
        case .json: sql.append("::jsonb")
        }
    }
}

extension ViewInput {
    /// `INSERT INTO core.<table> AS t ("id", "workspaceId", <the values' columns>[, <extra column>]) VALUES (…)
    /// RETURNING <the rendered row>`; `values["id"]`, when given, is the row's id.
    static func insert(
        _ entity: ViewEntity, _ values: [String: String?], workspace: UUID, extraColumn: String? = nil,
        extraValue: (inout SQLBuilder) -> Void = { _ in }
    ) throws -> SQLBuilder {
        var values = values
        let id = values.removeValue(forKey: "id").flatMap { $0 }
        let columns = values.keys.sorted()
        var sql = SQLBuilder()
        sql.append("INSERT INTO core.\(try SQLIdentifier(entity.table)) AS t (\"id\", \"workspaceId\"")
        for column in columns { sql.append(", \(try SQLIdentifier(column).quoted)") }
        if let extraColumn { sql.append(", \(try SQLIdentifier(extraColumn).quoted)") }
        sql.append(") VALUES (COALESCE(")
        sql.bind(id)
        sql.append("::uuid, gen_random_uuid()), ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid")
        for column in columns {
            sql.append(", ")
            try appendValue(values[column]!, of: entity.column(column)!, to: &sql)
        }
        if extraColumn != nil {
            sql.append(", ")
            extraValue(&sql)
        }
        sql.append(") RETURNING \(ViewRendering(entity).object("t"))::text")
        return sql
    }

    /// `UPDATE core.<table> t SET "updatedAt" = now(), <each value's column> = <value>` (the caller appends the WHERE).
    static func update(_ entity: ViewEntity, _ values: [String: String?]) throws -> SQLBuilder {
        var sql = SQLBuilder()
        sql.append("UPDATE core.\(try SQLIdentifier(entity.table)) t SET \"updatedAt\" = now()")
        for column in values.keys.sorted() {
            sql.append(", \(try SQLIdentifier(column).quoted) = ")
            try appendValue(values[column]!, of: entity.column(column)!, to: &sql)
        }
        return sql
    }

    /// Whether the row `id` of `core.<table>` belongs to `workspace` (what a view row or a navigation item names must).
    static func belongs(_ table: String, id: String, to workspace: UUID, on database: Database, logger: Logger) async throws -> Bool {
        var sql = SQLBuilder()
        sql.append("SELECT 'x' FROM core.\(try SQLIdentifier(table).quoted) WHERE \"id\" = ")
        sql.bind(id)
        sql.append("::uuid AND \"workspaceId\" = ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid")
        return try await database.firstText(sql, effect: .reads, logger: logger) != nil
    }

    /// Runs a write returning the rendered row: `notFound` when no row was written, and a constraint PostgreSQL
    /// refused as a 400 naming it.
    static func write(_ sql: SQLBuilder, of entity: ViewEntity, on database: Database, notFound: AtriumError, logger: Logger) async throws -> ByteBuffer {
        do {
            guard let text = try await database.firstText(sql, effect: .writes, logger: logger) else { throw notFound }
            return text
        } catch {
            switch DatabaseFailure(error) {
            case .uniqueViolation?: throw AtriumError(.badRequest, "Invalid \(entity.table): its id is taken, or the view has one for this field already")
            case .invalidValue?: throw AtriumError(.badRequest, "Invalid \(entity.table): a value is out of range, or a record item lacks its object")
            case .foreignKeyViolation?: throw AtriumError(.badRequest, "Invalid \(entity.table): it names a row that does not exist")
            default: throw error
            }
        }
    }
}
