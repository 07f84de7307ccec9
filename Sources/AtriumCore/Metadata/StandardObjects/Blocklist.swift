extension ObjectDefinition {
    /// Twenty's `blocklist`: an email or domain whose messages and events a member does not import.
    public static let blocklist = ObjectDefinition(
        nameSingular: "blocklist", namePlural: "blocklists", labelSingular: "Blocklist", labelPlural: "Blocklists",
        description: "Blocklist", icon: "IconForbid2", isSystem: true, isAuditLogged: false,
        labelIdentifierField: "handle",
        systemFields: [],
        fields: [
            FieldDefinition("handle", .text, label: "Handle", description: "Handle", icon: "IconAt"),
            .manyToOne("workspaceMember", label: "WorkspaceMember", target: "workspaceMember", inverse: "blocklist",
                       onDelete: .cascade, description: "WorkspaceMember", icon: "IconCircleUser", isNullable: false),
        ]
    )
}
