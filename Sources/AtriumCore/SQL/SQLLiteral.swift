/// A SQL string literal for the few places where a value cannot be a bind parameter: DDL (`DEFAULT`, enum labels).
///
/// Renders `'…'` with quotes doubled; refuses NUL, which PostgreSQL text cannot hold. Everywhere else values are binds.
public struct SQLLiteral: Sendable, Hashable, CustomStringConvertible {
    /// The value.
    public let value: String

    /// The value cannot be a literal.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String { "text values cannot contain NUL characters" }
    }

    public init(_ value: String) throws(Invalid) {
        guard !value.unicodeScalars.contains("\u{0}") else { throw Invalid() }
        self.value = value
    }

    /// The quoted literal.
    public var quoted: String {
        var result = "'"
        for character in value {
            result.append(character)
            if character == "'" { result.append("'") }
        }
        result.append("'")
        return result
    }

    public var description: String { quoted }
}
