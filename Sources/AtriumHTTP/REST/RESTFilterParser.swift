import AtriumCore
import Foundation

/// Parses Twenty's REST `filter` syntax into the shared ``RecordFilter``:
/// `and(name[ilike]:"%acme%",or(employees[gte]:10,employees[is]:NULL),not(id[in]:[a,b]))`.
///
/// A bare list of conditions means `and(…)`. Commas inside `()`, `[]` and quotes do not split. Values may be quoted
/// with `"` or `'`; `in` and `containsAny` take `[v1,v2]`; `is` takes `NULL` or `NOT_NULL`.
struct RESTFilterParser {
    /// - Throws: ``AtriumError`` `.badRequest` naming what is malformed.
    static func parse(_ text: String) throws -> RecordFilter {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw AtriumError(.badRequest, "filter is empty") }
        if let conjunction = try conjunction(trimmed) { return conjunction }
        let parts = try splitTopLevel(trimmed)
        if parts.count == 1 { return try condition(parts[0]) }
        return .and(try parts.map(expression))
    }

    private static func expression(_ text: String) throws -> RecordFilter {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return try conjunction(trimmed) ?? condition(trimmed)
    }

    /// `and(…)`, `or(…)` or `not(…)`, or nil when `text` is not one.
    private static func conjunction(_ text: String) throws -> RecordFilter? {
        for keyword in ["and", "or", "not"] where text.hasPrefix(keyword + "(") {
            guard text.hasSuffix(")") else { throw AtriumError(.badRequest, "Invalid filter '\(text)': missing ')'") }
            let inner = String(text.dropFirst(keyword.count + 1).dropLast())
            let parts = try splitTopLevel(inner).map(expression)
            switch keyword {
            case "and": return .and(parts)
            case "or": return .or(parts)
            default:
                guard parts.count == 1 else { throw AtriumError(.badRequest, "Invalid filter '\(text)': not() takes exactly one condition") }
                return .not(parts[0])
            }
        }
        return nil
    }

    /// `path[comparator]:value`.
    private static func condition(_ text: String) throws -> RecordFilter {
        guard let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]"),
              text.index(after: close) < text.endIndex, text[text.index(after: close)] == ":"
        else {
            throw AtriumError(.badRequest, "Invalid filter condition '\(text)': expected field[comparator]:value")
        }
        let path = String(text[..<open]).trimmingCharacters(in: .whitespaces)
        let name = String(text[text.index(after: open)..<close])
        let raw = String(text[text.index(close, offsetBy: 2)...]).trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty else { throw AtriumError(.badRequest, "Invalid filter condition '\(text)': missing field") }
        // As Twenty: a condition needs a value (an empty string is written "").
        guard !raw.isEmpty else { throw AtriumError(.badRequest, "'filter' invalid for '\(text)'. eg: price[gte]:10") }
        guard let comparator = FilterComparator(rawValue: name) else {
            throw AtriumError(.badRequest, "Invalid filter comparator '\(name)'; use one of "
                + FilterComparator.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let operand: FilterOperand
        switch comparator {
        case .is:
            switch unquote(raw).uppercased() {
            case "NULL": operand = .null
            case "NOT_NULL": operand = .notNull
            default: throw AtriumError(.badRequest, "Invalid filter '\(text)': 'is' takes NULL or NOT_NULL")
            }
        case .in, .containsAny:
            guard raw.hasPrefix("["), raw.hasSuffix("]") else {
                throw AtriumError(.badRequest, "Invalid filter '\(text)': '\(name)' takes a list like [a,b]")
            }
            let inner = String(raw.dropFirst().dropLast())
            operand = .values(inner.trimmingCharacters(in: .whitespaces).isEmpty ? [] : try splitTopLevel(inner).map { unquote($0) })
        default:
            operand = .value(unquote(raw))
        }
        return .condition(FieldPath(dotted: path), comparator, operand)
    }

    /// Splits on commas outside brackets and quotes.
    static func splitTopLevel(_ text: String) throws -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
                current.append(character)
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case "(", "[": depth += 1
            case ")", "]":
                depth -= 1
                if depth < 0 { throw AtriumError(.badRequest, "Invalid filter '\(text)': unbalanced brackets") }
            case "," where depth == 0:
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        guard depth == 0, quote == nil else { throw AtriumError(.badRequest, "Invalid filter '\(text)': unbalanced brackets or quotes") }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }

    /// Removes one pair of surrounding `"` or `'`.
    static func unquote(_ raw: String) -> String {
        let value = raw.trimmingCharacters(in: .whitespaces)
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            return String(value.dropFirst().dropLast())
        }
        return value
    }
}
