extension FieldDefinition {
    /// The definition a stored field was created from, so its columns can be derived again (to rename or drop them).
    ///
    /// A MORPH_RELATION gets its targets from the inverse fields that point at it.
    init(_ field: WorkspaceSchema.Field) {
        var relation: RelationDefinition?
        if field.type == .relation, let type = field.relationType, let target = field.relationTargetObject {
            var onDelete: RelationOnDelete?
            if case .object(let settings)? = field.settings, case .string(let raw)? = settings["onDelete"] {
                onDelete = RelationOnDelete(rawValue: raw)
            }
            relation = RelationDefinition(type, target: target.nameSingular, inverse: field.relationTargetField?.name ?? "",
                                          onDelete: type == .manyToOne ? (onDelete ?? .setNull) : nil)
        }
        self.init(
            field.name, field.type, label: field.label, description: field.description, icon: field.icon,
            isNullable: field.isNullable, isUnique: field.isUnique, isSystem: field.isSystem, isUIReadOnly: field.isUIReadOnly,
            defaultValue: field.defaultValue,
            options: field.options?.enumerated().map { offset, option in
                FieldOption(option.value, option.label, position: option.position ?? offset, color: option.color ?? "")
            },
            settings: field.settings, relation: relation,
            morphTargets: field.type == .morphRelation ? field.morphInverseFields.map { inverse in
                RelationDefinition(.manyToOne, target: inverse.object.nameSingular, inverse: inverse.name)
            } : []
        )
    }

    /// The columns of a stored field, or none when they cannot be derived.
    static func storedColumns(_ field: WorkspaceSchema.Field) -> [ColumnSpec] {
        (try? FieldDefinition(field).columns()) ?? []
    }
}
