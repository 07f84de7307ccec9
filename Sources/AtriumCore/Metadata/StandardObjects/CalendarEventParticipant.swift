extension ObjectDefinition {
    /// Twenty's `calendarEventParticipant`: an attendee of a calendar event, matched to a person or member when known.
    public static let calendarEventParticipant = ObjectDefinition(
        nameSingular: "calendarEventParticipant", namePlural: "calendarEventParticipants",
        labelSingular: "Calendar event participant", labelPlural: "Calendar event participants",
        description: "Calendar event participants", icon: "IconCalendar", isSystem: true, isAuditLogged: false,
        labelIdentifierField: "handle",
        systemFields: [],
        fields: [
            .manyToOne("calendarEvent", label: "Event ID", target: "calendarEvent", inverse: "calendarEventParticipants",
                       onDelete: .cascade, description: "Event ID", icon: "IconCalendar", isNullable: false),
            FieldDefinition("handle", .text, label: "Handle", description: "Handle", icon: "IconMail"),
            FieldDefinition("displayName", .text, label: "Display Name", description: "Display Name", icon: "IconUser"),
            FieldDefinition("isOrganizer", .boolean, label: "Is Organizer", description: "Is Organizer", icon: "IconUser",
                            isNullable: false, defaultValue: false),
            FieldDefinition("responseStatus", .select, label: "Response Status", description: "Response Status",
                            icon: "IconUser", isNullable: false, defaultValue: "'NEEDS_ACTION'", options: .list([
                                ("NEEDS_ACTION", "Needs Action", "orange"), ("DECLINED", "Declined", "red"),
                                ("TENTATIVE", "Tentative", "yellow"), ("ACCEPTED", "Accepted", "green"),
                            ])),
            .manyToOne("person", label: "Person", target: "person", inverse: "calendarEventParticipants", onDelete: .setNull,
                       description: "Person", icon: "IconUser"),
            .manyToOne("workspaceMember", label: "Workspace Member", target: "workspaceMember", inverse: "calendarEventParticipants",
                       onDelete: .setNull, description: "Workspace Member", icon: "IconUser"),
        ]
    )
}
