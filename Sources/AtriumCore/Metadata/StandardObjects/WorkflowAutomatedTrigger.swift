extension ObjectDefinition {
    /// Twenty's `workflowAutomatedTrigger`: a database-event or cron trigger of a published workflow.
    public static let workflowAutomatedTrigger = ObjectDefinition(
        nameSingular: "workflowAutomatedTrigger", namePlural: "workflowAutomatedTriggers",
        labelSingular: "Workflow Automated Trigger", labelPlural: "Workflow Automated Triggers",
        description: "A workflow automated trigger", icon: "IconSettingsAutomation", isSystem: true,
        labelIdentifierField: "id",
        systemFields: [],
        fields: [
            FieldDefinition("type", .select, label: "Automated Trigger Type", description: "The workflow automated trigger type",
                            icon: "IconSettingsAutomation", isNullable: false, options: .list([
                                ("DATABASE_EVENT", "Database Event", "green"), ("CRON", "Cron", "blue"),
                            ])),
            FieldDefinition("settings", .rawJSON, label: "Settings", description: "The workflow automated trigger settings",
                            icon: "IconSettingsAutomation", isNullable: false),
            .manyToOne("workflow", label: "Workflow", target: "workflow", inverse: "automatedTriggers", onDelete: .cascade,
                       description: "WorkflowAutomatedTrigger workflow", icon: "IconSettingsAutomation", isNullable: false),
        ]
    )
}
