import Foundation

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
