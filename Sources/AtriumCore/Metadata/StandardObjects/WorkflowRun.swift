extension ObjectDefinition {
    /// Twenty's `workflowRun`: one execution of a workflow version, with its state.
    public static let workflowRun = ObjectDefinition(
        nameSingular: "workflowRun", namePlural: "workflowRuns", labelSingular: "Workflow Run", labelPlural: "Workflow Runs",
        description: "A workflow run", icon: "IconHistoryToggle", isSearchable: true, isAuditLogged: false,
        labelIdentifierField: "name",
        searchFields: ["name"],
        systemFields: .business,
        fields: [
            FieldDefinition("name", .text, label: "Name", description: "Name of the workflow run", icon: "IconSettingsAutomation"),
            FieldDefinition("enqueuedAt", .dateTime, label: "Enqueued at", description: "Workflow run enqueued at", icon: "IconHistory"),
            FieldDefinition("startedAt", .dateTime, label: "Workflow run started at", description: "Workflow run started at",
                            icon: "IconHistory"),
            FieldDefinition("endedAt", .dateTime, label: "Workflow run ended at", description: "Workflow run ended at",
                            icon: "IconHistory"),
            FieldDefinition("status", .select, label: "Workflow run status", description: "Workflow run status",
                            icon: "IconStatusChange", isNullable: false, defaultValue: "'NOT_STARTED'", options: .list([
                                ("NOT_STARTED", "Not started", "gray"), ("RUNNING", "Running", "yellow"),
                                ("COMPLETED", "Completed", "green"), ("FAILED", "Failed", "red"),
                                ("ENQUEUED", "Enqueued", "blue"), ("STOPPING", "Stopping", "orange"), ("STOPPED", "Stopped", "gray"),
                            ])),
            FieldDefinition("state", .rawJSON, label: "State", description: "State of the workflow run", icon: "IconHierarchy2",
                            isNullable: false),
            FieldDefinition("context", .rawJSON, label: "Context", description: "Context of the workflow run",
                            icon: "IconHierarchy2"),
            FieldDefinition("output", .rawJSON, label: "Output", description: "Output of the workflow run", icon: "IconHierarchy2"),
            .manyToOne("workflowVersion", label: "Workflow version", target: "workflowVersion", inverse: "runs", onDelete: .cascade,
                       description: "Workflow version linked to the run.", icon: "IconVersions", isNullable: false),
            .manyToOne("workflow", label: "Workflow", target: "workflow", inverse: "runs", onDelete: .cascade,
                       description: "Workflow linked to the run.", icon: "IconSettingsAutomation", isNullable: false),
            .oneToMany("favorites", label: "Favorites", target: "favorite", inverse: "workflowRun",
                       description: "Favorites linked to the workflow run", icon: "IconHeart", isSystem: true),
            .morphInverse("timelineActivities", label: "Timeline Activities", target: "timelineActivity",
                          description: "Timeline activities linked to the run", icon: "IconTimelineEvent", isSystem: true),
        ]
    )
}
