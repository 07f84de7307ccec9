extension ObjectDefinition {
    /// Twenty's `messageParticipant`: a sender or recipient of a message, matched to a person or member when known.
    public static let messageParticipant = ObjectDefinition(
        nameSingular: "messageParticipant", namePlural: "messageParticipants",
        labelSingular: "Message Participant", labelPlural: "Message Participants",
        description: "Message Participants", icon: "IconUserCircle", isSystem: true, isAuditLogged: false,
        labelIdentifierField: "handle",
        systemFields: [],
        fields: [
            .manyToOne("message", label: "Message", target: "message", inverse: "messageParticipants", onDelete: .cascade,
                       description: "Message", icon: "IconMessage", isNullable: false),
            FieldDefinition("role", .select, label: "Role", description: "Role", icon: "IconAt", isNullable: false,
                            defaultValue: "'FROM'", options: .list([
                                ("FROM", "From", "green"), ("TO", "To", "blue"), ("CC", "Cc", "orange"), ("BCC", "Bcc", "red"),
                            ])),
            FieldDefinition("handle", .text, label: "Handle", description: "Handle", icon: "IconAt"),
            FieldDefinition("displayName", .text, label: "Display Name", description: "Display Name", icon: "IconUser"),
            .manyToOne("person", label: "Person", target: "person", inverse: "messageParticipants", onDelete: .setNull,
                       description: "Person", icon: "IconUser"),
            .manyToOne("workspaceMember", label: "Workspace Member", target: "workspaceMember", inverse: "messageParticipants",
                       onDelete: .setNull, description: "Workspace member", icon: "IconCircleUser"),
        ]
    )
}
