extension ObjectDefinition {
    /// Twenty's `noteTarget`: links a note to a person, company or opportunity (MORPH_RELATION `target` since 1.x).
    public static let noteTarget = ObjectDefinition(
        nameSingular: "noteTarget", namePlural: "noteTargets", labelSingular: "Note Target", labelPlural: "Note Targets",
        description: "A note target", icon: "IconCheckbox", isSystem: true,
        labelIdentifierField: "id",
        systemFields: [],
        fields: [
            .manyToOne("note", label: "Note", target: "note", inverse: "noteTargets", onDelete: .cascade,
                       description: "NoteTarget note", icon: "IconNotes"),
            .morph("target", label: "Target", description: "NoteTarget target", icon: "IconArrowUpRight", inverse: "noteTargets",
                   targets: [("person", .cascade), ("company", .cascade), ("opportunity", .cascade)]),
        ]
    )
}
