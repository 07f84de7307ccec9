extension ObjectDefinition {
    /// Twenty's `timelineActivity`: one event on a record's timeline (MORPH_RELATION `target` since 1.11).
    public static let timelineActivity = ObjectDefinition(
        nameSingular: "timelineActivity", namePlural: "timelineActivities",
        labelSingular: "Timeline Activity", labelPlural: "Timeline Activities",
        description: "Aggregated / filtered event to be displayed on the timeline", icon: "IconIconTimelineEvent",
        isSystem: true, isAuditLogged: false,
        labelIdentifierField: "name",
        systemFields: [],
        fields: [
            FieldDefinition("happensAt", .dateTime, label: "Creation date", description: "Creation date", icon: "IconCalendar",
                            isNullable: false, isUIReadOnly: true, defaultValue: "now"),
            FieldDefinition("name", .text, label: "Event name", description: "Event name", icon: "IconAbc", isUIReadOnly: true),
            FieldDefinition("properties", .rawJSON, label: "Event details", description: "Json value for event details",
                            icon: "IconListDetails", isUIReadOnly: true),
            FieldDefinition("linkedRecordCachedName", .text, label: "Linked Record cached name", description: "Cached record name",
                            icon: "IconAbc", isUIReadOnly: true),
            FieldDefinition("linkedRecordId", .uuid, label: "Linked Record id", description: "Linked Record id", icon: "IconAbc",
                            isUIReadOnly: true),
            FieldDefinition("linkedObjectMetadataId", .uuid, label: "Linked Object Metadata Id",
                            description: "Linked Object Metadata Id", icon: "IconAbc", isUIReadOnly: true),
            .manyToOne("workspaceMember", label: "Workspace Member", target: "workspaceMember", inverse: "timelineActivities",
                       onDelete: .cascade, description: "Event workspace member", icon: "IconCircleUser"),
            .morph("target", label: "Target", description: "Event target", icon: "IconTargetArrow", inverse: "timelineActivities",
                   targets: [
                       ("person", .cascade), ("company", .cascade), ("opportunity", .setNull), ("note", .setNull),
                       ("task", .setNull), ("workflow", .cascade), ("workflowVersion", .cascade), ("workflowRun", .cascade),
                       ("dashboard", .setNull),
                   ]),
        ]
    )
}
