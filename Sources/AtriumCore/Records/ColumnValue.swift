import Foundation

/// Checks a value given as text for a column's type and turns it into the text PostgreSQL parses, or says clearly
/// what is wrong. Used for filter operands and written values alike, so both APIs accept and refuse the same things.
struct ColumnValue {
    /// The column the value is for.
    let column: RecordColumn
    /// The allowed values of an enum column.
    let allowed: [String]?
    /// How the client names what it addresses (`name.firstName`), for messages.
    let label: String

    /// `value` checked for the column's type.
    /// - Throws: ``AtriumError`` `.validationFailed` naming the field and the problem.
    func text(_ value: String) throws -> String {
        switch column.type {
        case .uuid:
            guard UUID(text: value) != nil else { throw invalid("'\(value)' is not a valid UUID") }
        case .float, .numeric:
            guard let number = Double(value.trimmingCharacters(in: .whitespaces)), number.isFinite else {
                throw invalid("'\(value)' is not a number")
            }
        case .boolean:
            guard value == "true" || value == "false" else { throw invalid("'\(value)' is not a boolean (true or false)") }
        case .timestamptz:
            guard Self.isDateTime(value) else { throw invalid("'\(value)' is not an ISO 8601 date-time") }
        case .date:
            guard Self.isDate(value) else { throw invalid("'\(value)' is not a date (YYYY-MM-DD)") }
        case .enumeration, .enumerationArray:
            if let allowed, !allowed.contains(value) {
                throw invalid("'\(value)' is not one of \(allowed.joined(separator: ", "))")
            }
        case .jsonb:
            guard (try? JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)) != nil else {
                throw invalid("the value is not valid JSON")
            }
        case .text, .textArray, .tsvector:
            break
        }
        return value
    }

    func invalid(_ problem: String) -> AtriumError {
        AtriumError(.validationFailed, "Invalid value for field '\(label)': \(problem)")
    }

    private static let dateTimePattern = try! NSRegularExpression(
        pattern: #"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$"#
    )
    private static let datePattern = try! NSRegularExpression(pattern: #"^\d{4}-\d{2}-\d{2}$"#)

    static func isDateTime(_ value: String) -> Bool { matches(dateTimePattern, value) && hasValidCalendarDate(value) }
    static func isDate(_ value: String) -> Bool { matches(datePattern, value) && hasValidCalendarDate(value) }

    private static func matches(_ pattern: NSRegularExpression, _ value: String) -> Bool {
        pattern.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }

    /// Month 1–12 and day 1–31 (PostgreSQL checks the rest and its error is mapped to 400 too).
    private static func hasValidCalendarDate(_ value: String) -> Bool {
        let parts = value.prefix(10).split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }
}

extension WorkspaceSchema.Field {
    /// The values an enum column of this field accepts: SELECT/MULTI_SELECT options, RATING values, ACTOR sources.
    func allowedValues(for column: RecordColumn) -> [String]? {
        guard column.type == .enumeration || column.type == .enumerationArray else { return nil }
        switch type {
        case .select, .multiSelect: return (options ?? []).map(\.value)
        case .rating: return RatingValues.values
        case .actor: return ActorSource.values
        default: return nil
        }
    }
}
