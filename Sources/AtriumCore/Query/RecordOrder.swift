/// Twenty's `OrderByDirection`.
public enum OrderDirection: String, Sendable, Hashable, CaseIterable {
    case ascNullsFirst = "AscNullsFirst"
    case ascNullsLast = "AscNullsLast"
    case descNullsFirst = "DescNullsFirst"
    case descNullsLast = "DescNullsLast"

    public var isAscending: Bool { self == .ascNullsFirst || self == .ascNullsLast }
    public var nullsFirst: Bool { self == .ascNullsFirst || self == .descNullsFirst }

    /// The same ordering walked backwards (for `ending_before` / `last`).
    public var reversed: OrderDirection {
        switch self {
        case .ascNullsFirst: .descNullsLast
        case .ascNullsLast: .descNullsFirst
        case .descNullsFirst: .ascNullsLast
        case .descNullsLast: .ascNullsFirst
        }
    }
}

/// One term of an ordering: a field (or composite property) and a direction.
public struct OrderTerm: Sendable, Hashable {
    public var path: FieldPath
    public var direction: OrderDirection

    public init(_ path: FieldPath, _ direction: OrderDirection = .ascNullsFirst) {
        self.path = path
        self.direction = direction
    }
}
