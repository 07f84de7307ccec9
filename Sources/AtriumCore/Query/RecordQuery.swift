/// Where a page starts: after or before a cursor (a record id, or Twenty's base64 JSON cursor).
public enum PageCursor: Sendable, Hashable {
    case after(String)
    case before(String)
}

/// What of a record to return: relations up to `depth` (0 or 1), and optionally only some fields.
public struct RecordSelection: Sendable, Hashable {
    /// 0: the record's own fields (relations as `<name>Id`); 1: also related records, one level deep.
    public var depth: Int
    /// When set, only these fields (plus `id`).
    public var fields: [String]?

    public init(depth: Int = 0, fields: [String]? = nil) {
        self.depth = depth
        self.fields = fields
    }
}

/// A page of records of one object: the query model both APIs build for "find many".
public struct FindManyQuery: Sendable, Hashable {
    /// Twenty's `QUERY_DEFAULT_LIMIT_RECORDS`.
    public static let defaultLimit = 60
    /// Twenty's `QUERY_MAX_RECORDS`.
    public static let maximumLimit = 200

    public var filter: RecordFilter?
    public var order: [OrderTerm]
    public var limit: Int
    public var cursor: PageCursor?
    public var selection: RecordSelection

    public init(
        filter: RecordFilter? = nil, order: [OrderTerm] = [], limit: Int = FindManyQuery.defaultLimit,
        cursor: PageCursor? = nil, selection: RecordSelection = .init()
    ) {
        self.filter = filter
        self.order = order
        self.limit = limit
        self.cursor = cursor
        self.selection = selection
    }
}
