extension ObjectDefinition {
    /// Twenty's `messageThread`: a conversation grouping messages.
    public static let messageThread = ObjectDefinition(
        nameSingular: "messageThread", namePlural: "messageThreads", labelSingular: "Message Thread", labelPlural: "Message Threads",
        description: "A group of related messages (e.g. email thread, chat thread)", icon: "IconMessage",
        isSystem: true, isAuditLogged: false,
        labelIdentifierField: "id",
        systemFields: [],
        fields: [
            .oneToMany("messages", label: "Messages", target: "message", inverse: "messageThread",
                       description: "Messages from the thread.", icon: "IconMessage"),
            .oneToMany("messageChannelMessageAssociations", label: "Message Channel Association",
                       target: "messageChannelMessageAssociation", inverse: "messageThread",
                       description: "Messages from the channel.", icon: "IconMessage"),
        ]
    )
}
