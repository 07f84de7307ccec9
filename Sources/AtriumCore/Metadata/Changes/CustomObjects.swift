/// The shape Twenty gives a custom object: table `_<nameSingular>`, the system fields, a `name` TEXT label identifier,
/// and relations from the standard junction objects (note and task targets, favorites, attachments, timeline
/// activities) where the workspace has them.
enum CustomObjects {
    /// One standard object that gets a many-to-one field to every custom object, and the one-to-many field the custom
    /// object gets back.
    struct Junction: Sendable {
        /// The junction object's `nameSingular`.
        let object: String
        /// The one-to-many field on the custom object.
        let inverseName: String
        let inverseLabel: String
        let inverseIcon: String
    }

    static let junctions: [Junction] = [
        Junction(object: "noteTarget", inverseName: "noteTargets", inverseLabel: "Notes", inverseIcon: "IconNotes"),
        Junction(object: "taskTarget", inverseName: "taskTargets", inverseLabel: "Tasks", inverseIcon: "IconCheckbox"),
        Junction(object: "favorite", inverseName: "favorites", inverseLabel: "Favorites", inverseIcon: "IconHeart"),
        Junction(object: "attachment", inverseName: "attachments", inverseLabel: "Attachments", inverseIcon: "IconFileImport"),
        Junction(object: "timelineActivity", inverseName: "timelineActivities", inverseLabel: "Timeline Activities",
                 inverseIcon: "IconTimelineEvent"),
    ]

    /// The definition of a new custom object, with its one-to-many sides to the junctions present.
    static func definition(_ creation: ObjectCreation, junctions: [Junction]) -> ObjectDefinition {
        var fields: [FieldDefinition] = [
            FieldDefinition("name", .text, label: "Name", description: "Name", icon: "IconAbc", defaultValue: "'Untitled'"),
        ]
        for junction in junctions {
            fields.append(.oneToMany(junction.inverseName, label: junction.inverseLabel, target: junction.object,
                                     inverse: creation.nameSingular, description: "\(junction.inverseLabel) tied to the \(creation.labelSingular)",
                                     icon: junction.inverseIcon, isSystem: true))
        }
        return ObjectDefinition(
            nameSingular: creation.nameSingular, namePlural: creation.namePlural,
            labelSingular: creation.labelSingular, labelPlural: creation.labelPlural,
            description: creation.description, icon: creation.icon, isSearchable: true, isCustom: true,
            labelIdentifierField: "name", searchFields: ["name"], systemFields: .business, fields: fields
        )
    }

    /// The many-to-one field a junction gets for the custom object (`noteTarget.invoice`, column `invoiceId`).
    static func junctionField(_ junction: Junction, custom: ObjectCreation) -> FieldDefinition {
        .manyToOne(custom.nameSingular, label: custom.labelSingular, target: custom.nameSingular, inverse: junction.inverseName,
                   onDelete: .cascade, description: "\(junction.object) \(custom.labelSingular)", icon: "IconBuildingSkyscraper", isSystem: true)
    }
}
