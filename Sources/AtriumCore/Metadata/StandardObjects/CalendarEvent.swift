extension ObjectDefinition {
    /// Twenty's `calendarEvent`: an event imported from a calendar channel.
    public static let calendarEvent = ObjectDefinition(
        nameSingular: "calendarEvent", namePlural: "calendarEvents", labelSingular: "Calendar event", labelPlural: "Calendar events",
        description: "Calendar events", icon: "IconCalendar", isSystem: true, isAuditLogged: false,
        labelIdentifierField: "title",
        systemFields: [],
        fields: [
            FieldDefinition("title", .text, label: "Title", description: "Title", icon: "IconH1"),
            FieldDefinition("isCanceled", .boolean, label: "Is canceled", description: "Is canceled", icon: "IconCalendarCancel",
                            isNullable: false, defaultValue: false),
            FieldDefinition("isFullDay", .boolean, label: "Is Full Day", description: "Is Full Day", icon: "Icon24Hours",
                            isNullable: false, defaultValue: false),
            FieldDefinition("startsAt", .dateTime, label: "Start Date", description: "Start Date", icon: "IconCalendarClock"),
            FieldDefinition("endsAt", .dateTime, label: "End Date", description: "End Date", icon: "IconCalendarClock"),
            FieldDefinition("externalCreatedAt", .dateTime, label: "Creation DateTime", description: "Creation DateTime",
                            icon: "IconCalendarPlus"),
            FieldDefinition("externalUpdatedAt", .dateTime, label: "Update DateTime", description: "Update DateTime",
                            icon: "IconCalendarCog"),
            FieldDefinition("description", .text, label: "Description", description: "Description", icon: "IconFileDescription"),
            FieldDefinition("location", .text, label: "Location", description: "Location", icon: "IconMapPin"),
            FieldDefinition("iCalUid", .text, label: "iCal UID", description: "iCal UID", icon: "IconKey"),
            FieldDefinition("conferenceSolution", .text, label: "Conference Solution", description: "Conference Solution",
                            icon: "IconScreenShare"),
            FieldDefinition("conferenceLink", .links, label: "Meet Link", description: "Meet Link", icon: "IconLink",
                            defaultValue: .emptyLinks),
            .oneToMany("calendarChannelEventAssociations", label: "Calendar Channel Event Associations",
                       target: "calendarChannelEventAssociation", inverse: "calendarEvent",
                       description: "Calendar Channel Event Associations", icon: "IconCalendar"),
            .oneToMany("calendarEventParticipants", label: "Event Participants", target: "calendarEventParticipant",
                       inverse: "calendarEvent", description: "Event Participants", icon: "IconUserCircle"),
        ]
    )
}
