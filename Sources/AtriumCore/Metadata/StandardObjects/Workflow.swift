extension ObjectDefinition {
    /// Twenty's `workflow`: an automation, with its versions, runs and automated triggers.
    public static let workflow = ObjectDefinition(
        nameSingular: "workflow", namePlural: "workflows", labelSingular: "Workflow", labelPlural: "Workflows",
        description: "A workflow", icon: "IconSettingsAutomation", isSearchable: true,
        labelIdentifierField: "name",
        searchFields: ["name"],
        systemFields: .business,
        fields: [
            FieldDefinition("name", .text, label: "Name", description: "The workflow name", icon: "IconSettingsAutomation"),
            FieldDefinition("lastPublishedVersionId", .text, label: "Last published Version Id",
                            description: "The workflow last published version id", icon: "IconVersions", isUIReadOnly: true),
            FieldDefinition("statuses", .multiSelect, label: "Statuses", description: "The current statuses of the workflow versions",
                            icon: "IconStatusChange", isUIReadOnly: true, options: .list([
                                ("DRAFT", "Draft", "gray"), ("ACTIVE", "Active", "green"), ("DEACTIVATED", "Deactivated", "red"),
                            ])),
            .oneToMany("versions", label: "Versions", target: "workflowVersion", inverse: "workflow",
                       description: "Workflow versions linked to the workflow.", icon: "IconVersions"),
            .oneToMany("runs", label: "Runs", target: "workflowRun", inverse: "workflow",
                       description: "Workflow runs linked to the workflow.", icon: "IconRun"),
            .oneToMany("automatedTriggers", label: "Automated Triggers", target: "workflowAutomatedTrigger", inverse: "workflow",
                       description: "Workflow automated triggers linked to the workflow.", icon: "IconSettingsAutomation", isSystem: true),
            .oneToMany("favorites", label: "Favorites", target: "favorite", inverse: "workflow",
                       description: "Favorites linked to the workflow", icon: "IconHeart", isSystem: true),
            .morphInverse("timelineActivities", label: "Timeline Activities", target: "timelineActivity",
                          description: "Timeline activities linked to the workflow", icon: "IconTimelineEvent", isSystem: true),
            .morphInverse("attachments", label: "Attachments", target: "attachment",
                          description: "Attachments linked to the workflow", icon: "IconFileImport", isSystem: true),
        ]
    )
}
