/// What a client selected of a record, entry by entry under its response keys (GraphQL aliases): the query model the
/// GraphQL front end builds, rendered by PostgreSQL in exactly that shape.
///
/// ```swift
/// let tree = RecordTree([
///     ("id", .field("id")),
///     ("fullName", .composite(field: "name", properties: [("first", "firstName")], typeName: "FullName")),
///     ("employer", .toOne(field: "company", RecordTree([("name", .field("name"))]))),
/// ])
/// ```
public struct RecordTree: Sendable {
    /// What one response key holds.
    public indirect enum Value: Sendable {
        /// A fixed string (`__typename`).
        case constant(String)
        /// A scalar field, or a relation's `<name>Id` column, by name.
        case field(String)
        /// Some properties of a composite field: (response key, property); the property `__typename` renders `typeName`.
        case composite(field: String, properties: [(key: String, property: String)], typeName: String)
        /// The record a many-to-one relation points at (or null).
        case toOne(field: String, RecordTree)
        /// A page of the records of a one-to-many relation.
        case toMany(field: String, ConnectionTree)
    }

    public var entries: [(key: String, value: Value)]

    public init(_ entries: [(key: String, value: Value)]) {
        self.entries = entries
    }
}

/// A page request on a connection: Relay's `first`/`last`/`after`/`before`, Twenty's `offset` (records skipped
/// before the page, after the cursor if any), with a filter and an ordering.
public struct PageRequest: Sendable {
    public var filter: RecordFilter?
    public var order: [OrderTerm]
    public var first: Int?
    public var last: Int?
    public var after: String?
    public var before: String?
    public var offset: Int?

    public init(
        filter: RecordFilter? = nil, order: [OrderTerm] = [], first: Int? = nil, last: Int? = nil, after: String? = nil,
        before: String? = nil, offset: Int? = nil
    ) {
        self.filter = filter
        self.order = order
        self.first = first
        self.last = last
        self.after = after
        self.before = before
        self.offset = offset
    }
}

/// What a client selected of a connection (`edges`, `pageInfo`, `totalCount`, aggregates) and which page it wants.
public struct ConnectionTree: Sendable {
    public enum Value: Sendable {
        case constant(String)
        case edges([(key: String, value: EdgeValue)])
        case pageInfo([(key: String, value: PageInfoValue)])
        /// `totalCount` or another aggregate over every matching record (not only the page).
        case aggregate(AggregateField)
        /// A group-by group's values of its dimensions (`groupByDimensionValues`).
        case dimensionValues
    }

    public enum EdgeValue: Sendable {
        case constant(String)
        case cursor
        case node(RecordTree)
    }

    public enum PageInfoValue: Sendable {
        case constant(String)
        case hasNextPage, hasPreviousPage, startCursor, endCursor
    }

    public var page: PageRequest
    public var entries: [(key: String, value: Value)]

    public init(page: PageRequest, entries: [(key: String, value: Value)]) {
        self.page = page
        self.entries = entries
    }
}
