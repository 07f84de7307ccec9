import Foundation

/// Turns one CSV cell into the text PostgreSQL casts to its column's type, reading what the export writes and what
/// spreadsheets hold: amounts in units (stored as micros), `true`/`yes`/`1`, SELECT options by value or label, lists
/// as JSON arrays or comma-separated, JSON as JSON. An empty cell means "no value given" (nil): a created record
/// takes the column's default and an updated one keeps its value.
struct CSVCellConverter {
    let column: CSVColumn
    /// SELECT and MULTI_SELECT options: lowercased value and label → value.
    private let options: [String: String]?

    init(_ column: CSVColumn) {
        self.column = column
        if let field = column.field, let options = field.options {
            var byText: [String: String] = [:]
            for option in options {
                byText[option.value.lowercased()] = option.value
                byText[option.label.lowercased()] = byText[option.label.lowercased()] ?? option.value
            }
            self.options = byText
        } else if case .property("source", _) = column.content, column.fieldType == .actor {
            self.options = Dictionary(uniqueKeysWithValues: ActorSource.values.map { ($0.lowercased(), $0) })
        } else if column.fieldType == .rating {
            self.options = Dictionary(uniqueKeysWithValues: RatingValues.values.map { ($0.lowercased(), $0) })
        } else {
            self.options = nil
        }
    }

    /// The cell's text for the staging table, or nil for an empty cell.
    /// - Throws: a message saying what is wrong with the value.
    func convert(_ cell: String) throws(CSVCellError) -> String? {
        let raw = cell.utf8.first == 0xE2 ? CSVReader.removingInjectionGuard(cell) : cell
        let text = Self.trimmed(raw)
        if text.isEmpty { return nil }
        let type = column.column.type
        if case .property("amountMicros", _) = column.content, column.fieldType == .currency {
            guard let micros = Self.micros(text) else { throw CSVCellError("'\(text)' is not an amount") }
            return micros
        }
        switch type {
        case .text:
            return raw
        case .uuid:
            guard UUID(text: text) != nil else { throw CSVCellError("'\(text)' is not a valid UUID") }
            return text.lowercased()
        case .float, .numeric:
            guard let number = Double(text), number.isFinite else { throw CSVCellError("'\(text)' is not a number") }
            if column.fieldType == .number, let field = column.field, let problem = NumberDataType(settings: field.settings).problem(with: number) {
                throw CSVCellError(problem)
            }
            return text
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "1", "y", "t": return "true"
            case "false", "no", "0", "n", "f": return "false"
            default: throw CSVCellError("'\(text)' is not a boolean (true or false)")
            }
        case .timestamptz:
            guard ColumnValue.isDateTime(text), Self.isCalendarDate(text), Self.isClockTime(text) else {
                throw CSVCellError("'\(text)' is not an ISO 8601 date-time")
            }
            return text
        case .date:
            let day = text.count > 10 && ColumnValue.isDateTime(text) ? String(text.prefix(10)) : text
            guard ColumnValue.isDate(day), Self.isCalendarDate(day) else { throw CSVCellError("'\(text)' is not a date (YYYY-MM-DD)") }
            return day
        case .enumeration:
            return try option(text)
        case .enumerationArray:
            return Self.arrayLiteral(try list(text).map(option))
        case .textArray:
            return Self.arrayLiteral(try list(text))
        case .jsonb:
            guard (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) != nil else {
                throw CSVCellError("the value is not valid JSON")
            }
            return text
        case .tsvector:
            throw CSVCellError("the column cannot be written")
        }
    }

    private func option(_ text: String) throws(CSVCellError) -> String {
        guard let options else { return text }
        guard let value = options[text.lowercased()] else {
            let allowed = Set(options.values).sorted().joined(separator: ", ")
            throw CSVCellError("'\(text)' is not one of \(allowed)")
        }
        return value
    }

    /// A list cell: a JSON array of strings (what the export writes) or values separated by commas.
    private func list(_ text: String) throws(CSVCellError) -> [String] {
        if text.hasPrefix("[") {
            guard let array = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
                throw CSVCellError("expected a JSON array of strings or comma-separated values")
            }
            return array
        }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `text` without leading and trailing whitespace (ASCII, and the text as is when there is none: the common case).
    static func trimmed(_ text: String) -> String {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last else { return text }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        guard isSpace(first) || isSpace(last) else { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// An amount in units as micros (× 1,000,000), by moving the decimal point in the text (`12.5` → `12500000`), so no
    /// binary rounding creeps in; nil when the text is not a decimal number. An exponent (`1.5e3`) goes through
    /// `Decimal`.
    static func micros(_ text: String) -> String? {
        var bytes = Array(text.utf8)
        var sign = ""
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            if first == UInt8(ascii: "-") { sign = "-" }
            bytes.removeFirst()
        }
        if bytes.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard text.allSatisfy({ $0.isASCII && ($0.isNumber || "-+.eE".contains($0)) }), Double(text)?.isFinite == true,
                  let amount = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
            return NSDecimalNumber(decimal: amount * 1_000_000).stringValue
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, parts.count <= 2, !(whole.isEmpty && (parts.count == 1 || parts[1].isEmpty)) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : []
        guard (whole + fraction).allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        let shifted = Array(fraction.prefix(6)) + Array(repeating: UInt8(ascii: "0"), count: max(0, 6 - fraction.count))
        var digits = String(decoding: whole + shifted, as: UTF8.self)
        while digits.count > 1, digits.hasPrefix("0") { digits.removeFirst() }
        let rest = fraction.dropFirst(6)
        return sign + digits + (rest.isEmpty ? "" : "." + String(decoding: rest, as: UTF8.self))
    }

    /// Whether the `YYYY-MM-DD` the text starts with is a day of the calendar (checked here so that one bad cell is
    /// that row's error, not the import's).
    static func isCalendarDate(_ text: String) -> Bool {
        let parts = text.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), parts[2] >= 1 else { return false }
        let (year, month) = (parts[0], parts[1])
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return parts[2] <= days
    }

    /// Whether the time after the date (if any) is a time of day: hours 0–23, minutes and seconds 0–59.
    static func isClockTime(_ text: String) -> Bool {
        guard text.count > 11 else { return true }
        let fields = text.dropFirst(11).prefix(8).split(separator: ":").map { Int($0.prefix(2)) }
        guard let hours = fields.first ?? nil, hours <= 23 else { return false }
        return fields.dropFirst().allSatisfy { ($0 ?? 99) <= 59 }
    }

    /// `{"a","b"}`: a PostgreSQL array literal of `values`.
    static func arrayLiteral(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}

/// What is wrong with one cell.
struct CSVCellError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
