/// One of the saved-view tables in `core` (`view` and its children), described once so that one store, one REST
/// controller and one GraphQL module serve all six: the columns a caller may write, their kinds and defaults.
public struct ViewEntity: Sendable, Hashable {
    /// The table in `core`, e.g. `viewField`.
    public let table: String
    /// The REST collection under `/rest/metadata/`, e.g. `viewFields`.
    public let collection: String
    /// The GraphQL type name on `/metadata`, e.g. `CoreViewField`.
    public let typeName: String
    /// The columns a caller may set (beyond `id`), in Twenty's order.
    public let columns: [ViewColumn]

    /// Whether rows are not views themselves (a view's children, and navigation items): no view-only columns or
    /// children in their JSON.
    public var isChild: Bool { table != "view" }

    public func column(_ name: String) -> ViewColumn? { columns.first { $0.name == name } }

    public static func == (lhs: ViewEntity, rhs: ViewEntity) -> Bool { lhs.table == rhs.table }
    public func hash(into hasher: inout Hasher) { hasher.combine(table) }
}

/// A writable column of a view table.
public struct ViewColumn: Sendable {
    /// What a column holds, and how a JSON input value becomes it.
    public enum Kind: Sendable, Equatable {
        case uuid, text, integer, number, boolean
        /// Any JSON value (a filter's `value`).
        case json
        /// One of these strings.
        case choice([String])
    }

    public let name: String
    public let kind: Kind
    /// Must be given on creation.
    public let required: Bool
    /// May be null.
    public let nullable: Bool
    /// A caller may change it after creation (a child's `viewId` stays).
    public let updatable: Bool

    init(_ name: String, _ kind: Kind, required: Bool = false, nullable: Bool = true, updatable: Bool = true) {
        self.name = name
        self.kind = kind
        self.required = required
        self.nullable = nullable
        self.updatable = updatable
    }

    /// References field metadata of the view's workspace.
    public var isFieldReference: Bool { kind == .uuid && name.hasSuffix("FieldMetadataId") || name == "fieldMetadataId" }
}

extension ViewEntity {
    static let aggregateOperations = ["MIN", "MAX", "AVG", "SUM", "COUNT", "COUNT_UNIQUE_VALUES", "COUNT_EMPTY", "COUNT_NOT_EMPTY",
                                      "COUNT_TRUE", "COUNT_FALSE", "PERCENTAGE_EMPTY", "PERCENTAGE_NOT_EMPTY"]
    /// Twenty's `ViewFilterOperand` values that Atrium stores.
    public static let filterOperands = ["IS", "IS_NOT_NULL", "IS_NOT", "LESS_THAN_OR_EQUAL", "GREATER_THAN_OR_EQUAL", "IS_BEFORE",
                                        "IS_AFTER", "CONTAINS", "DOES_NOT_CONTAIN", "IS_EMPTY", "IS_NOT_EMPTY", "IS_RELATIVE",
                                        "IS_IN_PAST", "IS_IN_FUTURE", "IS_TODAY"]
    static func viewID() -> ViewColumn { ViewColumn("viewId", .uuid, required: true, nullable: false, updatable: false) }
    static func fieldID(required: Bool = true) -> ViewColumn {
        ViewColumn("fieldMetadataId", .uuid, required: required, nullable: !required)
    }

    public static let view = ViewEntity(table: "view", collection: "views", typeName: "CoreView", columns: [
        ViewColumn("objectMetadataId", .uuid, required: true, nullable: false, updatable: false),
        ViewColumn("name", .text, nullable: false),
        ViewColumn("type", .choice(["TABLE", "KANBAN", "CALENDAR"]), nullable: false),
        ViewColumn("key", .choice(["INDEX"])),
        ViewColumn("icon", .text, nullable: false),
        ViewColumn("position", .number, nullable: false),
        ViewColumn("isCompact", .boolean, nullable: false),
        ViewColumn("openRecordIn", .choice(["SIDE_PANEL", "RECORD_PAGE"]), nullable: false),
        ViewColumn("kanbanAggregateOperation", .choice(aggregateOperations)),
        ViewColumn("kanbanAggregateOperationFieldMetadataId", .uuid),
        ViewColumn("calendarLayout", .choice(["DAY", "WEEK", "MONTH"])),
        ViewColumn("calendarFieldMetadataId", .uuid),
        ViewColumn("mainGroupByFieldMetadataId", .uuid),
        ViewColumn("shouldHideEmptyGroups", .boolean, nullable: false),
        ViewColumn("kanbanColumnWidth", .integer),
        ViewColumn("groupLoadLimit", .integer, nullable: false),
        ViewColumn("anyFieldFilterValue", .text),
        ViewColumn("visibility", .choice(["WORKSPACE", "UNLISTED", "USER"]), nullable: false),
    ])

    public static let field = ViewEntity(table: "viewField", collection: "viewFields", typeName: "CoreViewField", columns: [
        viewID(), fieldID(),
        ViewColumn("isVisible", .boolean, nullable: false),
        ViewColumn("size", .integer, nullable: false),
        ViewColumn("position", .number, nullable: false),
        ViewColumn("aggregateOperation", .choice(aggregateOperations)),
    ])

    public static let filter = ViewEntity(table: "viewFilter", collection: "viewFilters", typeName: "CoreViewFilter", columns: [
        viewID(), fieldID(),
        ViewColumn("operand", .choice(filterOperands), nullable: false),
        ViewColumn("value", .json, required: true, nullable: false),
        ViewColumn("viewFilterGroupId", .uuid),
        ViewColumn("positionInViewFilterGroup", .number),
        ViewColumn("subFieldName", .text),
    ])

    public static let filterGroup = ViewEntity(table: "viewFilterGroup", collection: "viewFilterGroups", typeName: "CoreViewFilterGroup", columns: [
        viewID(),
        ViewColumn("parentViewFilterGroupId", .uuid),
        ViewColumn("logicalOperator", .choice(["AND", "OR", "NOT"]), nullable: false),
        ViewColumn("positionInViewFilterGroup", .number),
    ])

    public static let sort = ViewEntity(table: "viewSort", collection: "viewSorts", typeName: "CoreViewSort", columns: [
        viewID(), fieldID(),
        ViewColumn("direction", .choice(["ASC", "DESC"]), nullable: false),
        ViewColumn("subFieldName", .text),
    ])

    public static let group = ViewEntity(table: "viewGroup", collection: "viewGroups", typeName: "CoreViewGroup", columns: [
        viewID(), fieldID(required: false),
        ViewColumn("isVisible", .boolean, nullable: false),
        ViewColumn("fieldValue", .text, required: true, nullable: false),
        ViewColumn("position", .number, nullable: false),
    ])

    /// A sidebar item (`core."navigationMenuItem"`): a view, a record, a link or a folder, the workspace's or a member's.
    public static let navigationMenuItem = ViewEntity(table: "navigationMenuItem", collection: "navigationMenuItems",
                                                      typeName: "NavigationMenuItem", columns: [
        ViewColumn("userWorkspaceId", .uuid, updatable: false),
        ViewColumn("targetRecordId", .uuid),
        ViewColumn("targetObjectMetadataId", .uuid),
        ViewColumn("viewId", .uuid),
        ViewColumn("name", .text),
        ViewColumn("link", .text),
        ViewColumn("icon", .text),
        ViewColumn("folderId", .uuid),
        ViewColumn("position", .number, nullable: false),
    ])

    /// The view and its children, the view first.
    public static let all: [ViewEntity] = [view, field, filter, filterGroup, sort, group]
    /// The children, in the order a view's JSON lists them (`viewFields`, `viewFilters`, …).
    public static let children: [ViewEntity] = [field, filter, filterGroup, sort, group]
}
