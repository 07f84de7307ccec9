extension ObjectDefinition {
    /// Twenty's `connectedAccount`: a member's Google, Microsoft or IMAP account, source of message and calendar channels.
    public static let connectedAccount = ObjectDefinition(
        nameSingular: "connectedAccount", namePlural: "connectedAccounts",
        labelSingular: "Connected Account", labelPlural: "Connected Accounts",
        description: "A connected account", icon: "IconAt", isSystem: true, isAuditLogged: false,
        labelIdentifierField: "handle",
        systemFields: [],
        fields: [
            FieldDefinition("handle", .text, label: "handle", description: "The account handle (email, username, phone number, etc.)",
                            icon: "IconMail"),
            FieldDefinition("provider", .text, label: "provider", description: "The account provider", icon: "IconSettings"),
            FieldDefinition("accessToken", .text, label: "Access Token", description: "Messaging provider access token",
                            icon: "IconKey"),
            FieldDefinition("refreshToken", .text, label: "Refresh Token", description: "Messaging provider refresh token",
                            icon: "IconKey"),
            FieldDefinition("lastSyncHistoryId", .text, label: "Last sync history ID", description: "Last sync history ID",
                            icon: "IconHistory"),
            FieldDefinition("authFailedAt", .dateTime, label: "Auth failed at", description: "Auth failed at", icon: "IconX"),
            FieldDefinition("lastCredentialsRefreshedAt", .dateTime, label: "Last credentials refreshed at",
                            description: "Last credentials refreshed at", icon: "IconKey"),
            FieldDefinition("handleAliases", .text, label: "Handle Aliases", description: "Handle Aliases", icon: "IconMail"),
            FieldDefinition("scopes", .array, label: "Scopes", description: "Scopes", icon: "IconSettings"),
            FieldDefinition("connectionParameters", .rawJSON, label: "Custom Connection Parameters",
                            description: "JSON object containing custom connection parameters", icon: "IconSettings"),
            .manyToOne("accountOwner", label: "Account Owner", target: "workspaceMember", inverse: "connectedAccounts",
                       onDelete: .cascade, description: "Account Owner", icon: "IconUserCircle", isNullable: false),
            .oneToMany("messageChannels", label: "Message Channels", target: "messageChannel", inverse: "connectedAccount",
                       description: "Message Channels", icon: "IconMessage"),
            .oneToMany("calendarChannels", label: "Calendar Channels", target: "calendarChannel", inverse: "connectedAccount",
                       description: "Calendar Channels", icon: "IconCalendar"),
        ]
    )
}
