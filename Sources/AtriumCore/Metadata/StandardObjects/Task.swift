extension ObjectDefinition {
    /// Twenty's `task`: a to-do with a status, a due date and an assignee.
    public static let task = ObjectDefinition(
        nameSingular: "task", namePlural: "tasks", labelSingular: "Task", labelPlural: "Tasks",
        description: "A task", icon: "IconCheckbox", isSearchable: true,
        labelIdentifierField: "title",
        searchFields: ["title", "bodyV2"],
        systemFields: .business,
        fields: [
            FieldDefinition("title", .text, label: "Title", description: "Task title", icon: "IconNotes", defaultValue: "''"),
            FieldDefinition("bodyV2", .richTextV2, label: "Body", description: "Task body", icon: "IconFilePencil",
                            defaultValue: .emptyRichText),
            FieldDefinition("dueAt", .dateTime, label: "Due Date", description: "Task due date", icon: "IconCalendarEvent"),
            FieldDefinition("status", .select, label: "Status", description: "Task status", icon: "IconCheck",
                            defaultValue: "'TODO'", options: .list([
                                ("TODO", "To do", "sky"), ("IN_PROGRESS", "In progress", "purple"), ("DONE", "Done", "green"),
                            ])),
            .manyToOne("assignee", label: "Assignee", target: "workspaceMember", inverse: "assignedTasks", onDelete: .setNull,
                       description: "Task assignee", icon: "IconUserCircle"),
            .oneToMany("taskTargets", label: "Relations", target: "taskTarget", inverse: "task",
                       description: "Task targets", icon: "IconArrowUpRight"),
            .morphInverse("attachments", label: "Attachments", target: "attachment", description: "Task attachments",
                          icon: "IconFileImport"),
            .morphInverse("timelineActivities", label: "Timeline Activities", target: "timelineActivity",
                          description: "Timeline Activities linked to the task.", icon: "IconTimelineEvent", isSystem: true),
            .oneToMany("favorites", label: "Favorites", target: "favorite", inverse: "task",
                       description: "Favorites linked to the task", icon: "IconHeart", isSystem: true),
        ]
    )
}
