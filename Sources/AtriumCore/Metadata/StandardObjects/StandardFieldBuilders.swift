/// Shorthands the standard object files share: Twenty's composite default values and the MORPH_RELATION builder.

extension JSONValue {
    /// Twenty's default for a LINKS field: empty primary link, no secondary links.
    static let emptyLinks: JSONValue = ["primaryLinkUrl": "''", "primaryLinkLabel": "''", "secondaryLinks": nil]
    /// Twenty's default for an EMAILS field.
    static let emptyEmails: JSONValue = ["primaryEmail": "''", "additionalEmails": nil]
    /// Twenty's default for a PHONES field.
    static let emptyPhones: JSONValue = [
        "primaryPhoneNumber": "''", "primaryPhoneCountryCode": "''", "primaryPhoneCallingCode": "''", "additionalPhones": nil,
    ]
    /// Twenty's default for a CURRENCY field: no amount, empty currency code.
    static let emptyCurrency: JSONValue = ["amountMicros": nil, "currencyCode": "''"]
    /// Twenty's default for a FULL_NAME field.
    static let emptyFullName: JSONValue = ["firstName": "''", "lastName": "''"]
    /// Twenty's default for an ADDRESS field: empty strings, no coordinates.
    static let emptyAddress: JSONValue = [
        "addressStreet1": "''", "addressStreet2": "''", "addressCity": "''", "addressPostcode": "''",
        "addressState": "''", "addressCountry": "''", "addressLat": nil, "addressLng": nil,
    ]
    /// Twenty's default for a RICH_TEXT_V2 field.
    static let emptyRichText: JSONValue = ["blocknote": nil, "markdown": nil]
}

extension FieldDefinition {
    /// A MORPH_RELATION: one many-to-one per target, each stored in `<name><Target>Id` (`targetPersonId`).
    ///
    /// Every target object has a one-to-many field named `inverse` whose inverse is `name`.
    static func morph(
        _ name: String, label: String, description: String? = nil, icon: String? = nil,
        inverse: String, targets: [(object: String, onDelete: RelationOnDelete)]
    ) -> FieldDefinition {
        FieldDefinition(
            name, .morphRelation, label: label, description: description, icon: icon,
            morphTargets: targets.map { RelationDefinition(.manyToOne, target: $0.object, inverse: inverse, onDelete: $0.onDelete) }
        )
    }

    /// The one-to-many side of a morph relation (`person.noteTargets` for `noteTarget.target`).
    static func morphInverse(
        _ name: String, label: String, target: String, description: String? = nil, icon: String? = nil, isSystem: Bool = false
    ) -> FieldDefinition {
        .oneToMany(name, label: label, target: target, inverse: "target", description: description, icon: icon, isSystem: isSystem)
    }
}

extension [FieldOption] {
    /// Options numbered by their order in `items`.
    static func list(_ items: [(value: String, label: String, color: String)]) -> [FieldOption] {
        items.enumerated().map { FieldOption($0.element.value, $0.element.label, position: $0.offset, color: $0.element.color) }
    }
}

extension [FieldOption] {
    /// The `syncStatus` options message and calendar channels share.
    static let syncStatus: [FieldOption] = .list([
        ("ONGOING", "Ongoing", "yellow"), ("NOT_SYNCED", "Not Synced", "blue"), ("ACTIVE", "Active", "green"),
        ("FAILED_INSUFFICIENT_PERMISSIONS", "Failed Insufficient Permissions", "red"), ("FAILED_UNKNOWN", "Failed Unknown", "red"),
    ])

    /// The `direction` options of messages and their channel associations.
    static let messageDirection: [FieldOption] = .list([("INCOMING", "Incoming", "green"), ("OUTGOING", "Outgoing", "blue")])
}
