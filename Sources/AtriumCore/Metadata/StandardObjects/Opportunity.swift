extension ObjectDefinition {
    /// Twenty's `opportunity`: a deal moving through the sales stages.
    public static let opportunity = ObjectDefinition(
        nameSingular: "opportunity", namePlural: "opportunities", labelSingular: "Opportunity", labelPlural: "Opportunities",
        description: "An opportunity", icon: "IconTargetArrow", isSearchable: true,
        labelIdentifierField: "name",
        duplicateCriteria: [],
        searchFields: ["name"],
        systemFields: .business,
        fields: [
            FieldDefinition("name", .text, label: "Name", description: "The opportunity name", icon: "IconTargetArrow",
                            defaultValue: "''"),
            FieldDefinition("amount", .currency, label: "Amount", description: "Opportunity amount", icon: "IconCurrencyDollar",
                            defaultValue: .emptyCurrency),
            FieldDefinition("closeDate", .dateTime, label: "Close date", description: "Opportunity close date", icon: "IconCalendarEvent"),
            FieldDefinition("stage", .select, label: "Stage", description: "Opportunity stage", icon: "IconProgressCheck",
                            isNullable: false, defaultValue: "'NEW'", options: .list([
                                ("NEW", "New", "red"), ("SCREENING", "Screening", "purple"), ("MEETING", "Meeting", "sky"),
                                ("PROPOSAL", "Proposal", "turquoise"), ("CUSTOMER", "Customer", "yellow"),
                            ])),
            .manyToOne("pointOfContact", label: "Point of Contact", target: "person", inverse: "pointOfContactForOpportunities",
                       onDelete: .setNull, description: "Opportunity point of contact", icon: "IconUser"),
            .manyToOne("company", label: "Company", target: "company", inverse: "opportunities", onDelete: .setNull,
                       description: "Opportunity company", icon: "IconBuildingSkyscraper"),
            .manyToOne("owner", label: "Owner", target: "workspaceMember", inverse: "ownedOpportunities", onDelete: .setNull,
                       description: "Opportunity owner", icon: "IconUserCircle"),
            .oneToMany("favorites", label: "Favorites", target: "favorite", inverse: "opportunity",
                       description: "Favorites linked to the opportunity", icon: "IconHeart", isSystem: true),
            .morphInverse("taskTargets", label: "Tasks", target: "taskTarget", description: "Tasks tied to the opportunity",
                          icon: "IconCheckbox"),
            .morphInverse("noteTargets", label: "Notes", target: "noteTarget", description: "Notes tied to the opportunity",
                          icon: "IconNotes"),
            .morphInverse("attachments", label: "Attachments", target: "attachment",
                          description: "Attachments linked to the opportunity", icon: "IconFileImport"),
            .morphInverse("timelineActivities", label: "Timeline Activities", target: "timelineActivity",
                          description: "Timeline Activities linked to the opportunity.", icon: "IconTimelineEvent", isSystem: true),
        ]
    )
}
