extension ObjectDefinition {
    /// Twenty's `messageFolder`: a folder (label) of a message channel and whether it is imported.
    public static let messageFolder = ObjectDefinition(
        nameSingular: "messageFolder", namePlural: "messageFolders", labelSingular: "Message Folder", labelPlural: "Message Folders",
        description: "Folder for Message Channel", icon: "IconFolder", isSystem: true, isAuditLogged: false,
        labelIdentifierField: "name",
        systemFields: [],
        fields: [
            FieldDefinition("name", .text, label: "Name", description: "Folder name", icon: "IconFolder"),
            FieldDefinition("syncCursor", .text, label: "Sync Cursor", description: "Sync Cursor", icon: "IconHash"),
            FieldDefinition("isSentFolder", .boolean, label: "Is Sent Folder", description: "Is Sent Folder", icon: "IconSend",
                            isNullable: false, defaultValue: false),
            FieldDefinition("isSynced", .boolean, label: "Is Synced", description: "Is Synced", icon: "IconCheck",
                            isNullable: false, defaultValue: false),
            FieldDefinition("parentFolderId", .text, label: "Parent Folder ID", description: "Parent Folder ID", icon: "IconFolder"),
            FieldDefinition("externalId", .text, label: "External ID", description: "External ID", icon: "IconHash"),
            FieldDefinition("pendingSyncAction", .select, label: "Pending sync action", description: "Pending action for folder sync",
                            icon: "IconReload", isNullable: false, defaultValue: "'NONE'", options: .list([
                                ("FOLDER_DELETION", "Folder deletion", "red"), ("NONE", "None", "gray"),
                            ])),
            .manyToOne("messageChannel", label: "Message Channel", target: "messageChannel", inverse: "messageFolders",
                       onDelete: .cascade, description: "Message Channel", icon: "IconMessage", isNullable: false),
        ]
    )
}
