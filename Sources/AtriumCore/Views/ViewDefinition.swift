import Foundation

/// What of a saved view shapes a query: its object, filters (each in a filter group or at the top), nested filter
/// groups and sorts. Read from the view's JSON as ``ViewStore`` renders it.
public struct ViewDefinition: Sendable {
    public struct Filter: Sendable {
        public var fieldMetadataId: UUID
        public var operand: String
        public var value: JSONValue
        public var viewFilterGroupId: UUID?
        public var positionInViewFilterGroup: Double?
        public var subFieldName: String?

        public init(fieldMetadataId: UUID, operand: String, value: JSONValue, viewFilterGroupId: UUID?, positionInViewFilterGroup: Double?,
                    subFieldName: String?) {
            self.fieldMetadataId = fieldMetadataId
            self.operand = operand
            self.value = value
            self.viewFilterGroupId = viewFilterGroupId
            self.positionInViewFilterGroup = positionInViewFilterGroup
            self.subFieldName = subFieldName
        }
    }

    public struct FilterGroup: Sendable {
        public var id: UUID
        public var parentViewFilterGroupId: UUID?
        public var logicalOperator: String
        public var positionInViewFilterGroup: Double?

        public init(id: UUID, parentViewFilterGroupId: UUID?, logicalOperator: String, positionInViewFilterGroup: Double?) {
            self.id = id
            self.parentViewFilterGroupId = parentViewFilterGroupId
            self.logicalOperator = logicalOperator
            self.positionInViewFilterGroup = positionInViewFilterGroup
        }
    }

    public struct Sort: Sendable {
        public var fieldMetadataId: UUID
        public var direction: String
        public var subFieldName: String?

        public init(fieldMetadataId: UUID, direction: String, subFieldName: String?) {
            self.fieldMetadataId = fieldMetadataId
            self.direction = direction
            self.subFieldName = subFieldName
        }
    }

    /// A kanban column (or a group of a grouped table): the grouping field's value (`""`: no value).
    public struct Group: Sendable {
        public var fieldValue: String
        public var isVisible: Bool
        public var position: Double

        public init(fieldValue: String, isVisible: Bool, position: Double) {
            self.fieldValue = fieldValue
            self.isVisible = isVisible
            self.position = position
        }
    }

    public var id: UUID
    public var objectMetadataId: UUID
    /// `TABLE`, `KANBAN` or `CALENDAR`.
    public var type = "TABLE"
    /// The field a kanban (or grouped table) groups by.
    public var mainGroupByFieldMetadataId: UUID?
    /// The kanban columns' aggregate (`SUM`, `COUNT`, …) and the field it reads.
    public var kanbanAggregateOperation: String?
    public var kanbanAggregateOperationFieldMetadataId: UUID?
    /// How many records each group lists at first.
    public var groupLoadLimit = 8
    public var groups: [Group] = []
    /// The fields the view shows (its visible `viewFields`), in position order.
    public var visibleFieldIds: [UUID] = []
    /// The view's search across fields (Twenty's "any field" filter); nil or empty: none.
    public var anyFieldFilterValue: String?
    public var filters: [Filter]
    public var filterGroups: [FilterGroup]
    public var sorts: [Sort]

    public init(id: UUID, objectMetadataId: UUID, filters: [Filter] = [], filterGroups: [FilterGroup] = [], sorts: [Sort] = []) {
        self.id = id
        self.objectMetadataId = objectMetadataId
        self.filters = filters
        self.filterGroups = filterGroups
        self.sorts = sorts
    }

    /// Reads a view as rendered (with its `viewFilters`, `viewFilterGroups` and `viewSorts`).
    public init(rendered json: JSONValue) throws {
        func uuid(_ value: JSONValue?) -> UUID? { value?.string.flatMap(UUID.init(text:)) }
        guard let id = uuid(json["id"]), let object = uuid(json["objectMetadataId"]) else {
            throw AtriumError(.internalError, "A view without an id or object")
        }
        self.init(id: id, objectMetadataId: object)
        type = json["type"]?.string ?? "TABLE"
        mainGroupByFieldMetadataId = uuid(json["mainGroupByFieldMetadataId"])
        kanbanAggregateOperation = json["kanbanAggregateOperation"]?.string
        kanbanAggregateOperationFieldMetadataId = uuid(json["kanbanAggregateOperationFieldMetadataId"])
        groupLoadLimit = json["groupLoadLimit"]?.number.map { Int($0) } ?? 8
        groups = (json["viewGroups"]?.array ?? []).map { group in
            Group(fieldValue: group["fieldValue"]?.string ?? "", isVisible: group["isVisible"] != false, position: group["position"]?.number ?? 0)
        }
        anyFieldFilterValue = json["anyFieldFilterValue"]?.string
        visibleFieldIds = (json["viewFields"]?.array ?? [])
            .filter { $0["isVisible"] != false }
            .sorted { ($0["position"]?.number ?? 0) < ($1["position"]?.number ?? 0) }
            .compactMap { uuid($0["fieldMetadataId"]) }
        for filter in json["viewFilters"]?.array ?? [] {
            guard let field = uuid(filter["fieldMetadataId"]), let operand = filter["operand"]?.string else { continue }
            filters.append(Filter(fieldMetadataId: field, operand: operand, value: filter["value"] ?? .null,
                                  viewFilterGroupId: uuid(filter["viewFilterGroupId"]), positionInViewFilterGroup: filter["positionInViewFilterGroup"]?.number,
                                  subFieldName: filter["subFieldName"]?.string))
        }
        for group in json["viewFilterGroups"]?.array ?? [] {
            guard let groupID = uuid(group["id"]) else { continue }
            filterGroups.append(FilterGroup(id: groupID, parentViewFilterGroupId: uuid(group["parentViewFilterGroupId"]),
                                            logicalOperator: group["logicalOperator"]?.string ?? "AND",
                                            positionInViewFilterGroup: group["positionInViewFilterGroup"]?.number))
        }
        for sort in json["viewSorts"]?.array ?? [] {
            guard let field = uuid(sort["fieldMetadataId"]) else { continue }
            sorts.append(Sort(fieldMetadataId: field, direction: sort["direction"]?.string ?? "ASC", subFieldName: sort["subFieldName"]?.string))
        }
    }
}
