/// An object (a table and an API resource), declared once: its metadata rows, DDL, REST routes and GraphQL types
/// all derive from this value.
public struct ObjectDefinition: Sendable, Hashable {
    /// The system fields every object has beyond `id`, `createdAt`, `updatedAt` and `deletedAt`.
    public struct SystemFields: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// `position` (POSITION): manual ordering.
        public static let position = SystemFields(rawValue: 1 << 0)
        /// `createdBy` (ACTOR).
        public static let createdBy = SystemFields(rawValue: 1 << 1)
        /// `updatedBy` (ACTOR).
        public static let updatedBy = SystemFields(rawValue: 1 << 2)
        /// `searchVector` (TS_VECTOR) over ``ObjectDefinition/searchFields``.
        public static let searchVector = SystemFields(rawValue: 1 << 3)

        /// What business objects (company, person, …) and custom objects get.
        public static let business: SystemFields = [.position, .createdBy, .updatedBy, .searchVector]
    }

    public var nameSingular: String
    public var namePlural: String
    public var labelSingular: String
    public var labelPlural: String
    public var description: String?
    public var icon: String?
    /// Hidden from the UI's object list (junction and technical objects).
    public var isSystem: Bool
    public var isSearchable: Bool
    public var isAuditLogged: Bool
    /// Created at run time through the metadata API (its table is `_<nameSingular>`).
    public var isCustom: Bool
    /// The field shown as the record's name.
    public var labelIdentifierField: String
    /// The field holding the record's image URL, if any.
    public var imageIdentifierField: String?
    /// Groups of field names: two records matching on every field of one group are duplicates.
    public var duplicateCriteria: [[String]]
    /// Fields whose text feeds `searchVector`, in order.
    public var searchFields: [String]
    public var systemFields: SystemFields
    /// The business fields; the system fields are added by ``allFields``.
    public var fields: [FieldDefinition]

    public init(
        nameSingular: String,
        namePlural: String,
        labelSingular: String,
        labelPlural: String,
        description: String? = nil,
        icon: String? = nil,
        isSystem: Bool = false,
        isSearchable: Bool = false,
        isAuditLogged: Bool = true,
        isCustom: Bool = false,
        labelIdentifierField: String = "name",
        imageIdentifierField: String? = nil,
        duplicateCriteria: [[String]] = [],
        searchFields: [String] = [],
        systemFields: SystemFields = .business,
        fields: [FieldDefinition]
    ) {
        self.nameSingular = nameSingular
        self.namePlural = namePlural
        self.labelSingular = labelSingular
        self.labelPlural = labelPlural
        self.description = description
        self.icon = icon
        self.isSystem = isSystem
        self.isSearchable = isSearchable
        self.isAuditLogged = isAuditLogged
        self.isCustom = isCustom
        self.labelIdentifierField = labelIdentifierField
        self.imageIdentifierField = imageIdentifierField
        self.duplicateCriteria = duplicateCriteria
        self.searchFields = searchFields
        self.systemFields = systemFields
        self.fields = fields
    }

    /// The table name: `nameSingular` for standard objects, `_<nameSingular>` for custom ones.
    public var tableName: String { isCustom ? "_" + nameSingular : nameSingular }

    /// Every field: `id`, the business fields, then the system fields this object has.
    public var allFields: [FieldDefinition] {
        var result: [FieldDefinition] = [
            FieldDefinition("id", .uuid, label: "Id", description: "Id", icon: "Icon123", isNullable: false, isSystem: true, isUIReadOnly: true, defaultValue: "uuid"),
        ]
        result += fields
        result += [
            FieldDefinition("createdAt", .dateTime, label: "Creation date", description: "Creation date", icon: "IconCalendar",
                            isNullable: false, isUIReadOnly: true, defaultValue: "now"),
            FieldDefinition("updatedAt", .dateTime, label: "Last update", description: "Last time the record was changed",
                            icon: "IconCalendarClock", isNullable: false, isUIReadOnly: true, defaultValue: "now"),
            FieldDefinition("deletedAt", .dateTime, label: "Deleted at", description: "Date when the record was deleted",
                            icon: "IconCalendarMinus", isUIReadOnly: true),
        ]
        if systemFields.contains(.position) {
            result.append(FieldDefinition("position", .position, label: "Position", description: "Position", icon: "IconHierarchy2",
                                          isNullable: false, isSystem: true, defaultValue: 0))
        }
        if systemFields.contains(.createdBy) {
            result.append(FieldDefinition("createdBy", .actor, label: "Created by", description: "The creator of the record",
                                          icon: "IconCreativeCommonsSa", isNullable: false, isUIReadOnly: true,
                                          defaultValue: ["source": "'MANUAL'", "name": "'System'", "workspaceMemberId": nil]))
        }
        if systemFields.contains(.updatedBy) {
            result.append(FieldDefinition("updatedBy", .actor, label: "Updated by", description: "The workspace member who last updated the record",
                                          icon: "IconUserCircle", isNullable: false, isUIReadOnly: true,
                                          defaultValue: ["source": "'MANUAL'", "name": "'System'", "workspaceMemberId": nil]))
        }
        if systemFields.contains(.searchVector) {
            result.append(FieldDefinition("searchVector", .tsVector, label: "Search vector", description: "Field used for full-text search",
                                          icon: "IconUser", isSystem: true, isUIReadOnly: true))
        }
        return result
    }

    /// The field named `name`, among ``allFields``.
    public func field(named name: String) -> FieldDefinition? {
        allFields.first { $0.name == name }
    }
}
