extension ObjectDefinition {
    /// Twenty's `dashboard`: a page layout of widgets.
    public static let dashboard = ObjectDefinition(
        nameSingular: "dashboard", namePlural: "dashboards", labelSingular: "Dashboard", labelPlural: "Dashboards",
        description: "A dashboard", icon: "IconLayoutDashboard", isSearchable: true,
        labelIdentifierField: "title",
        searchFields: ["title"],
        systemFields: .business,
        fields: [
            FieldDefinition("title", .text, label: "Title", description: "Dashboard title", icon: "IconNotes"),
            FieldDefinition("pageLayoutId", .uuid, label: "Page Layout ID", description: "Dashboard page layout", icon: "IconLayout"),
            .morphInverse("attachments", label: "Attachments", target: "attachment",
                          description: "Attachments linked to the dashboard", icon: "IconFileImport", isSystem: true),
            .morphInverse("timelineActivities", label: "Timeline Activities", target: "timelineActivity",
                          description: "Timeline activities linked to the dashboard", icon: "IconTimelineEvent", isSystem: true),
            .oneToMany("favorites", label: "Favorites", target: "favorite", inverse: "dashboard",
                       description: "Favorites linked to the dashboard", icon: "IconHeart", isSystem: true),
        ]
    )
}
