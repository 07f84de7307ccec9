import AtriumCore

/// A small data model exercising relations, composites, enums and search, independent of the standard objects.
enum MiniatureObjects {
    static let company = ObjectDefinition(
        nameSingular: "company", namePlural: "companies", labelSingular: "Company", labelPlural: "Companies",
        searchFields: ["name", "domainName"],
        fields: [
            FieldDefinition("name", .text, label: "Name", defaultValue: "''"),
            FieldDefinition("domainName", .links, label: "Domain", defaultValue: ["primaryLinkUrl": "''", "primaryLinkLabel": "''", "secondaryLinks": nil]),
            FieldDefinition("tier", .select, label: "Tier", defaultValue: "'SMALL'", options: [
                FieldOption("SMALL", "Small", position: 0, color: "green"), FieldOption("LARGE", "Large", position: 1, color: "red"),
            ]),
            FieldDefinition("tags", .multiSelect, label: "Tags", defaultValue: ["'A'"], options: [
                FieldOption("A", "A", position: 0, color: "blue"), FieldOption("B", "B", position: 1, color: "sky"),
            ]),
            FieldDefinition("arr", .currency, label: "ARR", defaultValue: ["amountMicros": nil, "currencyCode": "'USD'"]),
            .oneToMany("people", label: "People", target: "person", inverse: "company"),
            .oneToMany("accountOwnerFor", label: "Owned", target: "workspaceMember", inverse: "ownedCompany"),
        ]
    )
    static let person = ObjectDefinition(
        nameSingular: "person", namePlural: "people", labelSingular: "Person", labelPlural: "People",
        labelIdentifierField: "name", searchFields: ["name", "emails"],
        fields: [
            FieldDefinition("name", .fullName, label: "Name", defaultValue: ["firstName": "''", "lastName": "''"]),
            FieldDefinition("emails", .emails, label: "Emails", defaultValue: ["primaryEmail": "''", "additionalEmails": nil]),
            .manyToOne("company", label: "Company", target: "company", inverse: "people", onDelete: .cascade),
        ]
    )
    static let workspaceMember = ObjectDefinition(
        nameSingular: "workspaceMember", namePlural: "workspaceMembers", labelSingular: "Member", labelPlural: "Members",
        isSystem: true, systemFields: [.position],
        fields: [
            FieldDefinition("name", .fullName, label: "Name", isNullable: false, defaultValue: ["firstName": "''", "lastName": "''"]),
            FieldDefinition("userEmail", .text, label: "Email"),
            FieldDefinition("userId", .uuid, label: "User"),
            .manyToOne("ownedCompany", label: "Owned company", target: "company", inverse: "accountOwnerFor"),
        ]
    )
    static let all = [company, person, workspaceMember]
}
