extension ObjectDefinition {
    /// Twenty's `favorite`: a record or view pinned by a workspace member, optionally in a folder.
    ///
    /// `position` is a plain NUMBER here (the API returns an integer), not the POSITION system field.
    public static let favorite = ObjectDefinition(
        nameSingular: "favorite", namePlural: "favorites", labelSingular: "Favorite", labelPlural: "Favorites",
        description: "A favorite that can be accessed from the left menu", icon: "IconHeart", isSystem: true,
        labelIdentifierField: "id",
        systemFields: [],
        fields: [
            FieldDefinition("position", .number, label: "Position", description: "Favorite position", icon: "IconList",
                            isNullable: false, defaultValue: 0),
            FieldDefinition("viewId", .uuid, label: "ViewId", description: "ViewId", icon: "IconView"),
            .manyToOne("forWorkspaceMember", label: "Workspace Member", target: "workspaceMember", inverse: "favorites",
                       onDelete: .cascade, description: "Favorite workspace member", icon: "IconCircleUser"),
            .manyToOne("person", label: "Person", target: "person", inverse: "favorites", onDelete: .cascade,
                       description: "Favorite person", icon: "IconUser"),
            .manyToOne("company", label: "Company", target: "company", inverse: "favorites", onDelete: .cascade,
                       description: "Favorite company", icon: "IconBuildingSkyscraper"),
            .manyToOne("favoriteFolder", label: "Favorite Folder", target: "favoriteFolder", inverse: "favorites",
                       onDelete: .cascade, description: "The folder this favorite belongs to", icon: "IconFolder"),
            .manyToOne("opportunity", label: "Opportunity", target: "opportunity", inverse: "favorites", onDelete: .cascade,
                       description: "Favorite opportunity", icon: "IconTargetArrow"),
            .manyToOne("workflow", label: "Workflow", target: "workflow", inverse: "favorites", onDelete: .cascade,
                       description: "Favorite workflow", icon: "IconSettingsAutomation"),
            .manyToOne("workflowVersion", label: "Workflow", target: "workflowVersion", inverse: "favorites", onDelete: .cascade,
                       description: "Favorite workflow version", icon: "IconSettingsAutomation"),
            .manyToOne("workflowRun", label: "Workflow", target: "workflowRun", inverse: "favorites", onDelete: .cascade,
                       description: "Favorite workflow run", icon: "IconSettingsAutomation"),
            .manyToOne("task", label: "Task", target: "task", inverse: "favorites", onDelete: .cascade,
                       description: "Favorite task", icon: "IconCheckbox"),
            .manyToOne("note", label: "Note", target: "note", inverse: "favorites", onDelete: .cascade,
                       description: "Favorite note", icon: "IconNotes"),
            .manyToOne("dashboard", label: "Dashboard", target: "dashboard", inverse: "favorites", onDelete: .cascade,
                       description: "Favorite dashboard", icon: "IconLayoutDashboard"),
        ]
    )
}
