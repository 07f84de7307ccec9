import PostgresNIO

/// A validated SQL identifier (schema, table, column, type or index name), rendered quoted.
///
/// The only way an identifier enters SQL text: names come from metadata, are checked here, and are quoted with
/// `"` doubled. Values never go through here; they are bound parameters.
///
/// ```swift
/// let query: PostgresQuery = "SELECT id FROM \(schema).\(table) WHERE id = \(id)"
/// ```
public struct SQLIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The raw name.
    public let name: String

    /// The problem with a candidate identifier.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let name: String
        public var description: String { "\"\(name)\" is not a valid SQL identifier (letters, digits and _, at most 63 bytes)" }
    }

    /// Validates `name`: 1–63 bytes of ASCII letters, digits and `_`, not starting with a digit.
    public init(_ name: String) throws(Invalid) {
        let bytes = Array(name.utf8)
        guard (1...63).contains(bytes.count),
              let first = bytes.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
              bytes.allSatisfy({ Self.allowed($0) })
        else { throw Invalid(name: name) }
        self.name = name
    }

    /// The identifier in double quotes, ready for SQL text.
    public var quoted: String { "\"" + name + "\"" }  // validation excludes quotes, so nothing to double

    public var description: String { quoted }

    private static func allowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}

extension PostgresQuery.StringInterpolation {
    /// Appends a quoted identifier. Identifiers cannot be bind parameters; this is the one sanctioned way in.
    public mutating func appendInterpolation(_ identifier: SQLIdentifier) {
        appendInterpolation(unescaped: identifier.quoted)
    }
}
