extension ObjectDefinition {
    /// Twenty's `attachment`: a file attached to a record (MORPH_RELATION `target` since 1.11).
    public static let attachment = ObjectDefinition(
        nameSingular: "attachment", namePlural: "attachments", labelSingular: "Attachment", labelPlural: "Attachments",
        description: "An attachment", icon: "IconFileImport", isSystem: true,
        labelIdentifierField: "name",
        systemFields: [.createdBy, .updatedBy],
        fields: [
            FieldDefinition("name", .text, label: "Name", description: "Attachment name", icon: "IconFileUpload"),
            FieldDefinition("file", .files, label: "File", description: "Attachment file", icon: "IconFileUpload"),
            FieldDefinition("fullPath", .text, label: "Full path", description: "Attachment full path", icon: "IconLink"),
            FieldDefinition("fileCategory", .select, label: "File category", description: "Attachment file category",
                            icon: "IconList", isNullable: false, defaultValue: "'OTHER'", options: .list([
                                ("ARCHIVE", "Archive", "gray"), ("AUDIO", "Audio", "pink"), ("IMAGE", "Image", "yellow"),
                                ("PRESENTATION", "Presentation", "orange"), ("SPREADSHEET", "Spreadsheet", "turquoise"),
                                ("TEXT_DOCUMENT", "Text Document", "blue"), ("VIDEO", "Video", "purple"), ("OTHER", "Other", "gray"),
                            ])),
            .morph("target", label: "Target", description: "Attachment target", icon: "IconArrowUpRight", inverse: "attachments",
                   targets: [
                       ("note", .cascade), ("task", .cascade), ("person", .cascade), ("company", .cascade),
                       ("opportunity", .cascade), ("dashboard", .cascade), ("workflow", .cascade),
                   ]),
        ]
    )
}
