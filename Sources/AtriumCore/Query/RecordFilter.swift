/// A path to what a filter or an order term addresses: a field, and for composite fields one of its properties
/// (`name.firstName`, `amount.amountMicros`).
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var subfield: String?

    public init(_ field: String, _ subfield: String? = nil) {
        self.field = field
        self.subfield = subfield
    }

    /// Parses `field` or `field.subfield`.
    public init(dotted: String) {
        let parts = dotted.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        self.init(String(parts[0]), parts.count > 1 ? String(parts[1]) : nil)
    }

    public var description: String { subfield.map { "\(field).\($0)" } ?? field }
}

/// Twenty's filter comparators, shared by the REST syntax (`name[ilike]:"%acme%"`) and GraphQL filter inputs.
public enum FilterComparator: String, Sendable, Hashable, CaseIterable {
    case eq, neq, `in`, containsAny, `is`, gt, gte, lt, lte, startsWith, endsWith, like, ilike
}

/// The right-hand side of a comparison, as text: the SQL compiler checks and converts it for the field's type.
public enum FilterOperand: Sendable, Hashable {
    /// One value (`eq`, `gt`, `like`, …).
    case value(String)
    /// A list (`in`, `containsAny`).
    case values([String])
    /// `is: NULL`.
    case null
    /// `is: NOT_NULL`.
    case notNull
}

/// A filter over an object's records: the one query model both APIs build.
///
/// ```swift
/// let filter: RecordFilter = .and([
///     .condition(FieldPath("name"), .ilike, .value("%acme%")),
///     .condition(FieldPath("employees"), .gte, .value("10")),
/// ])
/// ```
public indirect enum RecordFilter: Sendable, Hashable {
    case and([RecordFilter])
    case or([RecordFilter])
    case not(RecordFilter)
    case condition(FieldPath, FilterComparator, FilterOperand)

    /// Every field name a condition addresses.
    public var fieldNames: [String] {
        switch self {
        case .and(let parts), .or(let parts): parts.flatMap(\.fieldNames)
        case .not(let part): part.fieldNames
        case .condition(let path, _, _): [path.field]
        }
    }

    /// Whether any condition addresses `field` (Twenty includes soft-deleted records when a filter names `deletedAt`).
    public func mentions(field: String) -> Bool {
        switch self {
        case .and(let parts), .or(let parts): parts.contains { $0.mentions(field: field) }
        case .not(let part): part.mentions(field: field)
        case .condition(let path, _, _): path.field == field
        }
    }
}
