extension ObjectDefinition {
    /// Twenty's `messageChannelMessageAssociation`: which channel a message was imported from, with its external ids.
    public static let messageChannelMessageAssociation = ObjectDefinition(
        nameSingular: "messageChannelMessageAssociation", namePlural: "messageChannelMessageAssociations",
        labelSingular: "Message Channel Message Association", labelPlural: "Message Channel Message Associations",
        description: "Message Synced with a Message Channel", icon: "IconMessage", isSystem: true, isAuditLogged: false,
        labelIdentifierField: "id",
        systemFields: [],
        fields: [
            FieldDefinition("messageExternalId", .text, label: "Message External Id",
                            description: "Message id from the messaging provider", icon: "IconHash"),
            FieldDefinition("messageThreadExternalId", .text, label: "Thread External Id",
                            description: "Thread id from the messaging provider", icon: "IconHash"),
            FieldDefinition("direction", .select, label: "Direction", description: "Message Direction", icon: "IconDirection",
                            isNullable: false, defaultValue: "'INCOMING'", options: .messageDirection),
            .manyToOne("message", label: "Message Id", target: "message", inverse: "messageChannelMessageAssociations",
                       onDelete: .cascade, description: "Message Id", icon: "IconHash", isNullable: false),
            .manyToOne("messageChannel", label: "Message Channel Id", target: "messageChannel",
                       inverse: "messageChannelMessageAssociations", onDelete: .cascade,
                       description: "Message Channel Id", icon: "IconHash", isNullable: false),
            .manyToOne("messageThread", label: "Message Thread", target: "messageThread",
                       inverse: "messageChannelMessageAssociations", onDelete: .setNull,
                       description: "Message Thread", icon: "IconMessage"),
        ]
    )
}
