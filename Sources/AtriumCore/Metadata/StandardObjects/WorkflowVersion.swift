extension ObjectDefinition {
    /// Twenty's `workflowVersion`: one editable or published definition (trigger and steps) of a workflow.
    public static let workflowVersion = ObjectDefinition(
        nameSingular: "workflowVersion", namePlural: "workflowVersions",
        labelSingular: "Workflow Version", labelPlural: "Workflow Versions",
        description: "A workflow version", icon: "IconVersions", isSearchable: true,
        labelIdentifierField: "name",
        searchFields: ["name"],
        systemFields: [.position, .searchVector],
        fields: [
            FieldDefinition("name", .text, label: "Name", description: "The workflow version name", icon: "IconSettingsAutomation"),
            FieldDefinition("trigger", .rawJSON, label: "Version trigger", description: "Json object to provide trigger",
                            icon: "IconSettingsAutomation"),
            FieldDefinition("steps", .rawJSON, label: "Version steps", description: "Json object to provide steps",
                            icon: "IconSettingsAutomation"),
            FieldDefinition("status", .select, label: "Version status", description: "The workflow version status",
                            icon: "IconStatusChange", isNullable: false, isUIReadOnly: true, defaultValue: "'DRAFT'", options: .list([
                                ("DRAFT", "Draft", "yellow"), ("ACTIVE", "Active", "green"),
                                ("DEACTIVATED", "Deactivated", "red"), ("ARCHIVED", "Archived", "gray"),
                            ])),
            .manyToOne("workflow", label: "Workflow", target: "workflow", inverse: "versions", onDelete: .cascade,
                       description: "WorkflowVersion workflow", icon: "IconSettingsAutomation"),
            .oneToMany("runs", label: "Runs", target: "workflowRun", inverse: "workflowVersion",
                       description: "Workflow runs linked to the version.", icon: "IconRun"),
            .oneToMany("favorites", label: "Favorites", target: "favorite", inverse: "workflowVersion",
                       description: "Favorites linked to the workflow version", icon: "IconHeart", isSystem: true),
            .morphInverse("timelineActivities", label: "Timeline Activities", target: "timelineActivity",
                          description: "Timeline activities linked to the version", icon: "IconTimelineEvent", isSystem: true),
        ]
    )
}
