/// The properties of a composite field type, each stored in its own column named
/// `<fieldName><PascalCase(property)>` (`name` FULL_NAME → `nameFirstName`, `nameLastName`).
public struct CompositeType: Sendable, Hashable {
    /// One property of a composite value.
    public struct Property: Sendable, Hashable {
        public let name: String
        public let columnType: ColumnType
        /// Whether the property is part of the field's search text.
        public let isSearchable: Bool

        init(_ name: String, _ columnType: ColumnType, searchable: Bool = false) {
            self.name = name
            self.columnType = columnType
            self.isSearchable = searchable
        }
    }

    public let type: FieldType
    public let properties: [Property]

    /// The column that stores `property` of the field `fieldName`.
    public static func columnName(field fieldName: String, property: String) -> String {
        fieldName + property.prefix(1).uppercased() + property.dropFirst()
    }

    /// The composite shape of `type`, or nil for scalar types.
    public static func of(_ type: FieldType) -> CompositeType? {
        all[type]
    }

    private static let all: [FieldType: CompositeType] = Dictionary(uniqueKeysWithValues: [
        CompositeType(type: .fullName, properties: [.init("firstName", .text, searchable: true), .init("lastName", .text, searchable: true)]),
        CompositeType(type: .links, properties: [
            .init("primaryLinkLabel", .text), .init("primaryLinkUrl", .text, searchable: true), .init("secondaryLinks", .jsonb),
        ]),
        CompositeType(type: .currency, properties: [.init("amountMicros", .numeric), .init("currencyCode", .text)]),
        CompositeType(type: .address, properties: [
            .init("addressStreet1", .text), .init("addressStreet2", .text), .init("addressCity", .text),
            .init("addressPostcode", .text), .init("addressState", .text), .init("addressCountry", .text),
            .init("addressLat", .numeric), .init("addressLng", .numeric),
        ]),
        CompositeType(type: .emails, properties: [.init("primaryEmail", .text, searchable: true), .init("additionalEmails", .jsonb)]),
        CompositeType(type: .phones, properties: [
            .init("primaryPhoneNumber", .text, searchable: true), .init("primaryPhoneCountryCode", .text),
            .init("primaryPhoneCallingCode", .text), .init("additionalPhones", .jsonb),
        ]),
        CompositeType(type: .actor, properties: [
            .init("source", .enumeration), .init("workspaceMemberId", .uuid), .init("name", .text), .init("context", .jsonb),
        ]),
        CompositeType(type: .richTextV2, properties: [.init("blocknote", .text), .init("markdown", .text, searchable: true)]),
    ].map { ($0.type, $0) })
}
