extension ObjectDefinition {
    /// Twenty's `message`: an email (or SMS) in a thread.
    public static let message = ObjectDefinition(
        nameSingular: "message", namePlural: "messages", labelSingular: "Message", labelPlural: "Messages",
        description: "A message sent or received through a messaging channel (email, chat, etc.)", icon: "IconMessage",
        isSystem: true, isAuditLogged: false,
        labelIdentifierField: "subject",
        systemFields: [],
        fields: [
            FieldDefinition("headerMessageId", .text, label: "Header message Id", description: "Message id from the message header",
                            icon: "IconHash"),
            FieldDefinition("direction", .select, label: "Direction", description: "Message Direction", icon: "IconDirection",
                            isNullable: false, defaultValue: "'INCOMING'", options: .messageDirection),
            FieldDefinition("subject", .text, label: "Subject", description: "Subject", icon: "IconMessage"),
            FieldDefinition("text", .text, label: "Text", description: "Text", icon: "IconMessage"),
            FieldDefinition("receivedAt", .dateTime, label: "Received At", description: "The date the message was received",
                            icon: "IconCalendar"),
            .manyToOne("messageThread", label: "Message Thread Id", target: "messageThread", inverse: "messages",
                       onDelete: .cascade, description: "Message Thread Id", icon: "IconHash"),
            .oneToMany("messageParticipants", label: "Message Participants", target: "messageParticipant", inverse: "message",
                       description: "Message Participants", icon: "IconUserCircle"),
            .oneToMany("messageChannelMessageAssociations", label: "Message Channel Association",
                       target: "messageChannelMessageAssociation", inverse: "message",
                       description: "Messages from the channel.", icon: "IconMessage"),
        ]
    )
}
