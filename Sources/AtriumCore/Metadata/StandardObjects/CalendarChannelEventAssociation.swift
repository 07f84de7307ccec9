extension ObjectDefinition {
    /// Twenty's `calendarChannelEventAssociation`: which calendar channel an event was imported from.
    public static let calendarChannelEventAssociation = ObjectDefinition(
        nameSingular: "calendarChannelEventAssociation", namePlural: "calendarChannelEventAssociations",
        labelSingular: "Calendar Channel Event Association", labelPlural: "Calendar Channel Event Associations",
        description: "Calendar Channel Event Associations", icon: "IconCalendar", isSystem: true, isAuditLogged: false,
        labelIdentifierField: "id",
        systemFields: [],
        fields: [
            .manyToOne("calendarChannel", label: "Channel ID", target: "calendarChannel", inverse: "calendarChannelEventAssociations",
                       onDelete: .cascade, description: "Channel ID", icon: "IconCalendar", isNullable: false),
            .manyToOne("calendarEvent", label: "Event ID", target: "calendarEvent", inverse: "calendarChannelEventAssociations",
                       onDelete: .cascade, description: "Event ID", icon: "IconCalendar", isNullable: false),
            FieldDefinition("eventExternalId", .text, label: "Event external ID", description: "Event external ID",
                            icon: "IconCalendar"),
            FieldDefinition("recurringEventExternalId", .text, label: "Recurring Event ID", description: "Recurring Event ID",
                            icon: "IconHistory"),
        ]
    )
}
