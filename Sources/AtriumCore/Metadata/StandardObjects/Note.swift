extension ObjectDefinition {
    /// Twenty's `note`: rich text attached to records through ``noteTarget``.
    public static let note = ObjectDefinition(
        nameSingular: "note", namePlural: "notes", labelSingular: "Note", labelPlural: "Notes",
        description: "A note", icon: "IconNotes", isSearchable: true,
        labelIdentifierField: "title",
        searchFields: ["title", "bodyV2"],
        systemFields: .business,
        fields: [
            FieldDefinition("title", .text, label: "Title", description: "Note title", icon: "IconNotes", defaultValue: "''"),
            FieldDefinition("bodyV2", .richTextV2, label: "Body", description: "Note body", icon: "IconFilePencil",
                            defaultValue: .emptyRichText),
            .oneToMany("noteTargets", label: "Relations", target: "noteTarget", inverse: "note",
                       description: "Note targets", icon: "IconArrowUpRight"),
            .morphInverse("attachments", label: "Attachments", target: "attachment", description: "Note attachments",
                          icon: "IconFileImport"),
            .morphInverse("timelineActivities", label: "Timeline Activities", target: "timelineActivity",
                          description: "Timeline Activities linked to the note.", icon: "IconBuildingSkyscraper", isSystem: true),
            .oneToMany("favorites", label: "Favorites", target: "favorite", inverse: "note",
                       description: "Favorites linked to the note", icon: "IconHeart", isSystem: true),
        ]
    )
}
