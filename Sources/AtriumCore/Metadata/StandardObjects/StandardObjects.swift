/// Twenty's standard objects as of the 1.18 API (the objects every workspace starts with).
///
/// Relations name their target by `nameSingular`, so the order here matters to nothing but listings; it follows
/// Twenty's REST document (people and their data first, then activity, messaging, calendar and workflows). Tables with
/// cyclic relations (company ↔ workspaceMember) mean DDL must create every table before adding foreign keys.
public enum StandardObjects {
    /// Every standard object.
    public static let all: [ObjectDefinition] = [
        .workspaceMember, .company, .person, .opportunity,
        .note, .noteTarget, .task, .taskTarget, .attachment, .timelineActivity,
        .favoriteFolder, .favorite, .dashboard,
        .connectedAccount, .blocklist,
        .messageThread, .message, .messageChannel, .messageFolder, .messageChannelMessageAssociation, .messageParticipant,
        .calendarChannel, .calendarEvent, .calendarChannelEventAssociation, .calendarEventParticipant,
        .workflow, .workflowVersion, .workflowRun, .workflowAutomatedTrigger,
    ]

    /// The standard object named `nameSingular`.
    public static func object(named nameSingular: String) -> ObjectDefinition? {
        all.first { $0.nameSingular == nameSingular }
    }
}
