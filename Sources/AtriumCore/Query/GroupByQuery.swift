/// Records of one object grouped by field values, with aggregates per group: the query model of REST `groupBy` and
/// GraphQL `<plural>GroupBy`.
public struct GroupByQuery: Sendable, Hashable {
    /// How a date dimension is bucketed (Twenty's `ObjectRecordGroupByDateGranularity`).
    public enum Granularity: String, Sendable, Hashable, CaseIterable {
        case day = "DAY"
        case week = "WEEK"
        case month = "MONTH"
        case quarter = "QUARTER"
        case year = "YEAR"
        case dayOfTheWeek = "DAY_OF_THE_WEEK"
        case monthOfTheYear = "MONTH_OF_THE_YEAR"
        case quarterOfTheYear = "QUARTER_OF_THE_YEAR"
        case none = "NONE"
    }

    /// One value records are grouped by: a field or composite property, and for dates a granularity.
    public struct Dimension: Sendable, Hashable {
        public var path: FieldPath
        public var granularity: Granularity?

        public init(_ path: FieldPath, granularity: Granularity? = nil) {
            self.path = path
            self.granularity = granularity
        }
    }

    /// The most groups returned by default, and at most.
    public static let defaultLimit = 60
    public static let maximumLimit = 200
    /// Records listed per group with `recordsSample`, by default.
    public static let defaultSampleSize = 10

    public var dimensions: [Dimension]
    /// Aggregate names as Twenty spells them (`countNotEmptyId`, `sumAmountAmountMicros`); `totalCount` is always given.
    public var aggregates: [String]
    public var filter: RecordFilter?
    /// Terms naming a dimension's path or an aggregate.
    public var order: [OrderTerm]
    public var limit: Int
    /// Whether each group lists a sample of its records.
    public var recordsSample: Bool
    /// How many records each group lists (a kanban view's `groupLoadLimit`).
    public var sampleSize = GroupByQuery.defaultSampleSize
    public var recordsOrder: [OrderTerm]
    /// The groups to answer, in this order, whether or not any record falls in them (a kanban's visible columns; `""`
    /// is the group of records with no value). With one dimension only; nil: the groups the records make.
    public var fixedGroups: [String]?

    public init(
        dimensions: [Dimension], aggregates: [String] = [], filter: RecordFilter? = nil, order: [OrderTerm] = [],
        limit: Int = GroupByQuery.defaultLimit, recordsSample: Bool = false, recordsOrder: [OrderTerm] = []
    ) {
        self.dimensions = dimensions
        self.aggregates = aggregates
        self.filter = filter
        self.order = order
        self.limit = limit
        self.recordsSample = recordsSample
        self.recordsOrder = recordsOrder
    }
}
