extension ObjectDefinition {
    /// Twenty's `taskTarget`: links a task to a person, company or opportunity (MORPH_RELATION `target` since 1.x).
    public static let taskTarget = ObjectDefinition(
        nameSingular: "taskTarget", namePlural: "taskTargets", labelSingular: "Task Target", labelPlural: "Task Targets",
        description: "A task target", icon: "IconCheckbox", isSystem: true,
        labelIdentifierField: "id",
        systemFields: [],
        fields: [
            .manyToOne("task", label: "Task", target: "task", inverse: "taskTargets", onDelete: .cascade,
                       description: "TaskTarget task", icon: "IconCheckbox"),
            .morph("target", label: "Target", description: "TaskTarget target", icon: "IconArrowUpRight", inverse: "taskTargets",
                   targets: [("person", .cascade), ("company", .cascade), ("opportunity", .cascade)]),
        ]
    )
}
