extension ObjectDefinition {
    /// Twenty's `calendarChannel`: one calendar of a connected account, with its sync state.
    public static let calendarChannel = ObjectDefinition(
        nameSingular: "calendarChannel", namePlural: "calendarChannels",
        labelSingular: "Calendar Channel", labelPlural: "Calendar Channels",
        description: "Calendar Channels", icon: "IconCalendar", isSystem: true, isAuditLogged: false,
        labelIdentifierField: "handle",
        systemFields: [],
        fields: [
            .manyToOne("connectedAccount", label: "Connected Account", target: "connectedAccount", inverse: "calendarChannels",
                       onDelete: .cascade, description: "Connected Account", icon: "IconUserCircle", isNullable: false),
            FieldDefinition("handle", .text, label: "Handle", description: "Handle", icon: "IconAt"),
            FieldDefinition("visibility", .select, label: "Visibility", description: "Visibility", icon: "IconEyeglass",
                            isNullable: false, defaultValue: "'SHARE_EVERYTHING'", options: .list([
                                ("METADATA", "Metadata", "green"), ("SHARE_EVERYTHING", "Share Everything", "orange"),
                            ])),
            FieldDefinition("isContactAutoCreationEnabled", .boolean, label: "Is Contact Auto Creation Enabled",
                            description: "Is Contact Auto Creation Enabled", icon: "IconUserCircle",
                            isNullable: false, defaultValue: true),
            FieldDefinition("contactAutoCreationPolicy", .select, label: "Contact auto creation policy",
                            description: "Automatically create records for people you participated with in an event.",
                            icon: "IconUserCircle", isNullable: false, defaultValue: "'AS_PARTICIPANT_AND_ORGANIZER'", options: .list([
                                ("AS_PARTICIPANT_AND_ORGANIZER", "As Participant and Organizer", "green"),
                                ("AS_PARTICIPANT", "As Participant", "orange"), ("AS_ORGANIZER", "As Organizer", "blue"),
                                ("NONE", "None", "red"),
                            ])),
            FieldDefinition("isSyncEnabled", .boolean, label: "Is Sync Enabled", description: "Is Sync Enabled", icon: "IconRefresh",
                            isNullable: false, defaultValue: true),
            FieldDefinition("syncCursor", .text, label: "Sync Cursor",
                            description: "Sync Cursor. Used for syncing events from the calendar provider", icon: "IconReload"),
            FieldDefinition("syncStatus", .select, label: "Sync status", description: "Sync status", icon: "IconStatusChange",
                            options: .syncStatus),
            FieldDefinition("syncStage", .select, label: "Sync stage", description: "Sync stage", icon: "IconStatusChange",
                            isNullable: false, defaultValue: "'PENDING_CONFIGURATION'", options: .list([
                                ("CALENDAR_EVENT_LIST_FETCH_PENDING", "Calendar event list fetch pending", "blue"),
                                ("CALENDAR_EVENT_LIST_FETCH_SCHEDULED", "Calendar event list fetch scheduled", "green"),
                                ("CALENDAR_EVENT_LIST_FETCH_ONGOING", "Calendar event list fetch ongoing", "orange"),
                                ("CALENDAR_EVENTS_IMPORT_PENDING", "Calendar events import pending", "blue"),
                                ("CALENDAR_EVENTS_IMPORT_SCHEDULED", "Calendar events import scheduled", "green"),
                                ("CALENDAR_EVENTS_IMPORT_ONGOING", "Calendar events import ongoing", "orange"),
                                ("FAILED", "Failed", "red"), ("PENDING_CONFIGURATION", "Pending configuration", "gray"),
                            ])),
            FieldDefinition("syncStageStartedAt", .dateTime, label: "Sync stage started at", description: "Sync stage started at",
                            icon: "IconHistory"),
            FieldDefinition("syncedAt", .dateTime, label: "Last sync date", description: "Last sync date", icon: "IconHistory"),
            FieldDefinition("throttleFailureCount", .number, label: "Throttle Failure Count", description: "Throttle Failure Count",
                            icon: "IconX", isNullable: false, defaultValue: 0),
            .oneToMany("calendarChannelEventAssociations", label: "Calendar Channel Event Associations",
                       target: "calendarChannelEventAssociation", inverse: "calendarChannel",
                       description: "Calendar Channel Event Associations", icon: "IconCalendar"),
        ]
    )
}
