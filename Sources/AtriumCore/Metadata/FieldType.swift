/// Twenty's `FieldMetadataType`: what a field holds, and so its columns, validation and API types.
public enum FieldType: String, Sendable, Hashable, Codable, CaseIterable {
    case uuid = "UUID"
    case text = "TEXT"
    case number = "NUMBER"
    case numeric = "NUMERIC"
    case boolean = "BOOLEAN"
    case dateTime = "DATE_TIME"
    case date = "DATE"
    case select = "SELECT"
    case multiSelect = "MULTI_SELECT"
    case rating = "RATING"
    case currency = "CURRENCY"
    case fullName = "FULL_NAME"
    case links = "LINKS"
    case emails = "EMAILS"
    case phones = "PHONES"
    case address = "ADDRESS"
    case actor = "ACTOR"
    case richText = "RICH_TEXT"
    case richTextV2 = "RICH_TEXT_V2"
    case rawJSON = "RAW_JSON"
    case array = "ARRAY"
    case position = "POSITION"
    case files = "FILES"
    case tsVector = "TS_VECTOR"
    case relation = "RELATION"
    case morphRelation = "MORPH_RELATION"

    /// Whether values of this type are objects stored over several columns.
    public var isComposite: Bool { CompositeType.of(self) != nil }

    /// Whether this is a relation (which owns a `<name>Id` column on its many-to-one side only).
    public var isRelation: Bool { self == .relation || self == .morphRelation }
}
