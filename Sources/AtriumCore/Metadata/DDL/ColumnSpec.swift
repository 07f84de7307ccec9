/// One column of a workspace table, derived from a field.
public struct ColumnSpec: Sendable, Hashable {
    public var name: String
    public var type: ColumnType
    /// For `.enumeration` / `.enumerationArray`: the enum's values, in order.
    public var enumValues: [String]
    public var isNullable: Bool
    /// The `DEFAULT` expression, already rendered safely.
    public var defaultSQL: String?

    /// The enum type's name, `<table>_<column>_enum`, for enum columns.
    public func enumTypeName(table: String) -> String { "\(table)_\(name)_enum" }
}

/// Values of the ACTOR composite's `source` enum.
public enum ActorSource {
    public static let values = ["EMAIL", "CALENDAR", "WORKFLOW", "AGENT", "API", "IMPORT", "MANUAL", "SYSTEM", "WEBHOOK"]
}

/// Values of RATING fields.
public enum RatingValues {
    public static let values = (1...5).map { "RATING_\($0)" }
}

/// A field's definition cannot become columns (bad default, missing options, …).
public struct FieldDefinitionError: Error, Sendable, CustomStringConvertible {
    public let field: String
    public let reason: String
    public var description: String { "field \(field): \(reason)" }
}

extension FieldDefinition {
    /// The columns this field owns: none for one-to-many relations, `<name>Id` for many-to-one, one per property for
    /// composites, one per target for morph relations, else one.
    public func columns() throws -> [ColumnSpec] {
        if let composite = CompositeType.of(type) {
            return try composite.properties.map { property in
                let propertyDefault: JSONValue? = if case .object(let values)? = defaultValue { values[property.name] } else { nil }
                let rendered = try Self.renderDefault(propertyDefault, columnType: property.columnType, field: name)
                return ColumnSpec(
                    name: CompositeType.columnName(field: name, property: property.name),
                    type: property.columnType,
                    enumValues: property.columnType == .enumeration ? ActorSource.values : [],
                    isNullable: isNullable || rendered == nil,
                    defaultSQL: rendered
                )
            }
        }
        switch type {
        case .relation:
            guard relation?.type == .manyToOne else { return [] }
            return [ColumnSpec(name: name + "Id", type: .uuid, enumValues: [], isNullable: isNullable, defaultSQL: nil)]
        case .morphRelation:
            return morphTargets.filter { $0.type == .manyToOne }.map { target in
                ColumnSpec(
                    name: name + target.targetObject.prefix(1).uppercased() + target.targetObject.dropFirst() + "Id",
                    type: .uuid, enumValues: [], isNullable: true, defaultSQL: nil
                )
            }
        default:
            let columnType = scalarColumnType
            let values: [String] = switch type {
            case .select, .multiSelect: (options ?? []).map(\.value)
            case .rating: RatingValues.values
            default: []
            }
            if type == .select || type == .multiSelect, values.isEmpty {
                throw FieldDefinitionError(field: name, reason: "a \(type.rawValue) field needs at least one option")
            }
            let rendered = try Self.renderDefault(defaultValue, columnType: columnType, field: name)
            return [ColumnSpec(name: name, type: columnType, enumValues: values, isNullable: isNullable, defaultSQL: rendered)]
        }
    }

    /// The column type of a scalar field.
    var scalarColumnType: ColumnType { ColumnType.scalar(for: type) }

    /// Renders a Twenty-style default value as SQL: `"now"` → `now()`, `"uuid"` → `gen_random_uuid()`,
    /// `"'TEXT'"` → a quoted literal, numbers and booleans as themselves, arrays of quoted strings as `ARRAY[…]`.
    static func renderDefault(_ value: JSONValue?, columnType: ColumnType, field: String) throws -> String? {
        guard let value else { return nil }
        switch value {
        case .null:
            return nil
        case .bool(let flag):
            guard columnType == .boolean else { throw FieldDefinitionError(field: field, reason: "a boolean default needs a BOOLEAN field") }
            return flag ? "true" : "false"
        case .number(let number):
            guard [.float, .numeric].contains(columnType), number.isFinite else {
                throw FieldDefinitionError(field: field, reason: "a numeric default needs a number field")
            }
            return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text):
            switch text {
            case "now":
                guard [.timestamptz, .date].contains(columnType) else { throw FieldDefinitionError(field: field, reason: "\"now\" needs a date field") }
                return columnType == .date ? "CURRENT_DATE" : "now()"
            case "uuid":
                guard columnType == .uuid else { throw FieldDefinitionError(field: field, reason: "\"uuid\" needs a UUID field") }
                return "gen_random_uuid()"
            default:
                return try quotedLiteral(text, field: field).quoted
            }
        case .array(let elements):
            guard [.textArray, .enumerationArray].contains(columnType) else {
                throw FieldDefinitionError(field: field, reason: "an array default needs an ARRAY or MULTI_SELECT field")
            }
            let literals = try elements.map { element -> String in
                guard case .string(let text) = element else { throw FieldDefinitionError(field: field, reason: "array defaults hold quoted strings") }
                return try quotedLiteral(text, field: field).value
            }
            // An untyped array literal ('{"A","B"}') casts implicitly to the column's text[] or enum[] type.
            return "'{" + literals.map(arrayElement).joined(separator: ",") + "}'"
        case .object:
            throw FieldDefinitionError(field: field, reason: "an object default needs a composite field")
        }
    }

    /// Parses Twenty's `'text'` form (quotes doubled inside) into a literal.
    static func quotedLiteral(_ text: String, field: String) throws -> SQLLiteral {
        guard text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") else {
            throw FieldDefinitionError(field: field, reason: "text defaults are written quoted, like \"'value'\" (got \(text))")
        }
        let inner = String(text.dropFirst().dropLast()).replacingDoubledQuotes()
        do {
            return try SQLLiteral(inner)
        } catch {
            throw FieldDefinitionError(field: field, reason: error.description)
        }
    }

    private static func arrayElement(_ value: String) -> String {
        var escaped = "\""
        for character in value {
            if character == "\"" || character == "\\" { escaped.append("\\") }
            if character == "'" { escaped.append("'") }
            escaped.append(character)
        }
        return escaped + "\""
    }
}

extension String {
    /// `it''s` → `it's`.
    func replacingDoubledQuotes() -> String {
        var result = ""
        var previousWasQuote = false
        for character in self {
            if character == "'", previousWasQuote {
                previousWasQuote = false
                continue
            }
            previousWasQuote = character == "'"
            result.append(character)
        }
        return result
    }
}
