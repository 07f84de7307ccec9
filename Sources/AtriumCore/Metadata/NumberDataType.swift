/// Twenty's `NumberDataType`: what a NUMBER field holds, from its `settings.dataType`. The column is `double precision`
/// whatever the kind (as in Twenty); the kind decides which values a write may give.
///
/// - `float` (also when `dataType` is absent or unknown, Twenty's default): any finite number.
/// - `int`: a whole number within PostgreSQL's `integer` (GraphQL's `Int`), −2147483648 to 2147483647.
/// - `bigint`: a whole number that `double precision` holds exactly, ±(2^53 − 1).
public enum NumberDataType: String, Sendable, CaseIterable {
    case float
    case int
    case bigint

    /// The kind `settings` names, `float` when they name none.
    public init(settings: JSONValue?) {
        if case .object(let values)? = settings, case .string(let raw)? = values["dataType"], let kind = NumberDataType(rawValue: raw) {
            self = kind
        } else {
            self = .float
        }
    }

    /// The whole numbers a value must be one of; nil for `float`.
    public var integerRange: ClosedRange<Int>? {
        switch self {
        case .float: nil
        case .int: WholeNumber.int32
        case .bigint: WholeNumber.exactInDouble
        }
    }

    /// What is wrong with `number` for a field of this kind, or nil when it may be stored.
    public func problem(with number: Double) -> String? {
        guard number.isFinite else { return "\(number) is not a finite number" }
        guard let range = integerRange, WholeNumber.exact(number, in: range) == nil else { return nil }
        return "\(number) is not a whole number from \(range.lowerBound) to \(range.upperBound) (the field's dataType is \(rawValue))"
    }
}
