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
        /// The records of a one-to-many relation as a plain array: the first ``RecordTree/nestedLimit`` by `id` (REST's
        /// `depth=1`).
        case toManyArray(field: String, RecordTree)
    }

    /// REST's `depth` and `fields`: every field the caller may read (only `fields`, and `id`, when given), relations
    /// as their `<name>Id`, and at depth 1 the related records' own fields (a to-one as an object, a to-many as an
    /// array). The renderer expands it against the object's metadata and the caller's policy, and may reuse the SQL it
    /// built for the same preset.
    public struct Preset: Sendable, Hashable {
        /// 0: the record's own fields; 1: also the related records, one level deep.
        public var depth: Int
        /// When set, only these fields (plus `id`).
        public var fields: Set<String>?
    }

    /// The most related records a ``Value/toManyArray(field:_:)`` holds (Twenty's REST at depth 1).
    public static let nestedLimit = 60

    /// The selected entries, in response order; empty for a ``preset`` until the renderer expands it.
    public var entries: [(key: String, value: Value)]
    /// Set when the tree is REST's selection rather than a list of entries.
    public let preset: Preset?

    public init(_ entries: [(key: String, value: Value)]) {
        self.entries = entries
        self.preset = nil
    }

    /// REST's selection: see ``Preset``.
    /// - Parameters:
    ///   - depth: 0 or 1.
    ///   - fields: When set, only these fields (plus `id`).
    public static func allFields(depth: Int = 0, only fields: [String]? = nil) -> RecordTree {
        RecordTree(preset: Preset(depth: depth, fields: fields.map(Set.init)))
    }

    private init(preset: Preset) {
        self.entries = []
        self.preset = preset
    }
}

/// A page request on a connection: Relay's `first`/`last`/`after`/`before`, Twenty's `offset` (records skipped
/// before the page, after the cursor if any), with a filter and an ordering.
public struct PageRequest: Sendable {
    /// Twenty's `QUERY_DEFAULT_LIMIT_RECORDS`.
    public static let defaultLimit = 60
    /// Twenty's `QUERY_MAX_RECORDS`.
    public static let maximumLimit = 200

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
///
/// The same tree gives REST's envelopes: `{"data":{"companies":[…]},"totalCount":n,"pageInfo":{…}}` is an
/// ``Value/object(_:)`` holding the page's ``Value/nodes(_:)``, beside an aggregate and the page info.
public struct ConnectionTree: Sendable {
    public indirect enum Value: Sendable {
        case constant(String)
        /// The page as Relay edges.
        case edges([(key: String, value: EdgeValue)])
        /// The page's records as a plain array (REST).
        case nodes(RecordTree)
        /// A JSON object of further connection values (REST's `data`).
        case object([(key: String, value: Value)])
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
