import PostgresNIO

/// Builds one statement from trusted SQL text (identifiers from metadata, via ``SQLIdentifier``) and bound values.
///
/// ```swift
/// var sql = SQLBuilder()
/// sql.append("SELECT 1 FROM \(table) WHERE \"name\" = ")
/// sql.bind("Acme")            // appends $1
/// let rows = try await database.query(sql.query, logger: logger)
/// ```
public struct SQLBuilder: Sendable {
    public private(set) var text = ""
    private var bindings = PostgresBindings()
    /// The bound values in order, for a client other than postgres-nio (``LibpqStatementPath``).
    public private(set) var values: [SQLValue] = []

    public init() {}

    /// A statement of trusted SQL text alone (identifiers from metadata via ``SQLIdentifier``, no values).
    public init(_ text: String) {
        self.text = text
    }

    /// Appends trusted SQL text.
    public mutating func append(_ sql: String) { text += sql }

    /// Appends a quoted identifier.
    public mutating func append(_ identifier: SQLIdentifier) { text += identifier.quoted }

    /// Binds `value` as a text parameter and appends its placeholder.
    public mutating func bind(_ value: String?) {
        if let value { bindings.append(value) } else { bindings.appendNull() }
        values.append(.text(value))
        text += "$\(bindings.count)"
    }

    /// Binds `values` as a `text[]` parameter and appends its placeholder.
    public mutating func bind(_ values: [String]) {
        bindings.append(values)
        self.values.append(.textArray(values))
        text += "$\(bindings.count)"
    }

    /// Binds an integer and appends its placeholder.
    public mutating func bind(_ value: Int) {
        bindings.append(value)
        values.append(.integer(value))
        text += "$\(bindings.count)"
    }

    /// Runs `body` to build a fragment whose values are bound here, in order, and returns its text instead of appending
    /// it: placeholders are numbered by binding order, so the fragment may be placed anywhere in this statement's text.
    public mutating func fragment(_ body: (inout SQLBuilder) throws -> Void) rethrows -> String {
        let saved = text
        text = ""
        defer { text = saved }
        try body(&self)
        return text
    }

    /// The number of values bound so far.
    public var bindingCount: Int { bindings.count }

    /// The statement.
    public var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: bindings) }
}

/// One bound value of a statement, as ``SQLBuilder`` bound it: postgres-nio sends `text`, `text[]` and `int8`.
public enum SQLValue: Sendable, Equatable {
    case text(String?)
    case textArray([String])
    case integer(Int)
}
