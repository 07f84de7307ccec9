import Foundation

extension WorkspaceSchema {
    /// An object of a ``WorkspaceSchema`` (a `core."objectMetadata"` row).
    public struct Object: Sendable {
        let schema: WorkspaceSchema
        let index: Int
        var content: ObjectShape.Content { schema.shape.content.objects[index].value.content }
        private var shape: ObjectShape { schema.shape.content.objects[index].value }

        public var id: UUID { schema.ids[index] }
        public var nameSingular: String { content.nameSingular }
        public var namePlural: String { content.namePlural }
        public var labelSingular: String { content.labelSingular }
        public var labelPlural: String { content.labelPlural }
        public var description: String? { content.description }
        public var icon: String? { content.icon }
        /// The table in ``WorkspaceSchema/databaseSchema``.
        public var targetTableName: String { content.targetTableName }
        public var isCustom: Bool { content.flags.contains(.isCustom) }
        public var isRemote: Bool { content.flags.contains(.isRemote) }
        public var isActive: Bool { content.flags.contains(.isActive) }
        public var isSystem: Bool { content.flags.contains(.isSystem) }
        public var isAuditLogged: Bool { content.flags.contains(.isAuditLogged) }
        public var isSearchable: Bool { content.flags.contains(.isSearchable) }
        public var isLabelSyncedWithName: Bool { content.flags.contains(.isLabelSyncedWithName) }
        /// Groups of field names that identify duplicates.
        public var duplicateCriteria: [[String]] { content.duplicateCriteria ?? [] }
        public var shortcut: String? { content.shortcut }

        /// The fields, ordered by name.
        public var fields: [Field] {
            (schema.shape.fieldStart[index]..<schema.shape.fieldStart[index + 1]).map { Field(schema: schema, globalIndex: $0) }
        }

        /// The field called `name`.
        public func field(named name: String) -> Field? {
            shape.fieldIndex[name].map { Field(schema: schema, globalIndex: schema.shape.fieldStart[index] + $0) }
        }

        /// The field shown as a record's name.
        public var labelIdentifierField: Field? { content.labelIdentifierField.flatMap(field(named:)) }
        /// The field holding a record's image.
        public var imageIdentifierField: Field? { content.imageIdentifierField.flatMap(field(named:)) }
    }

    /// A field of a ``WorkspaceSchema`` (a `core."fieldMetadata"` row).
    public struct Field: Sendable {
        let schema: WorkspaceSchema
        let globalIndex: Int
        var content: FieldShape.Content { schema.shape.content.objects[objectIndex].value.content.fields[localIndex].value.content }
        var objectIndex: Int { Int(schema.shape.objectOfField[globalIndex]) }
        private var localIndex: Int { globalIndex - schema.shape.fieldStart[objectIndex] }

        public var id: UUID { schema.ids[schema.shape.objectCount + globalIndex] }
        /// The object this field belongs to.
        public var object: Object { Object(schema: schema, index: objectIndex) }
        public var name: String { content.name }
        public var label: String { content.label }
        public var type: FieldType { content.type }
        public var description: String? { content.description }
        public var icon: String? { content.icon }
        public var defaultValue: JSONValue? { content.defaultValue }
        public var settings: JSONValue? { content.settings }
        public var morphID: UUID? { content.morphID }
        public var isCustom: Bool { content.flags.contains(.isCustom) }
        public var isActive: Bool { content.flags.contains(.isActive) }
        public var isSystem: Bool { content.flags.contains(.isSystem) }
        public var isUIReadOnly: Bool { content.flags.contains(.isUIReadOnly) }
        public var isNullable: Bool { content.flags.contains(.isNullable) }
        public var isUnique: Bool { content.flags.contains(.isUnique) }
        public var isLabelSyncedWithName: Bool { content.flags.contains(.isLabelSyncedWithName) }

        /// The options of a SELECT or MULTI_SELECT field, in stored order; `nil` for other types.
        public var options: [Option]? {
            guard let shapes = content.options else { return nil }
            let start = schema.shape.objectCount + schema.shape.fieldCount + schema.shape.optionStart[globalIndex]
            return shapes.enumerated().map { offset, option in
                let id = schema.ids[start + offset]
                return Option(id: id == Self.noID ? nil : id, value: option.value, label: option.label,
                              position: option.position, color: option.color)
            }
        }

        /// The object a RELATION field points at.
        public var relationTargetObject: Object? {
            let target = schema.shape.relationTargetObject[globalIndex]
            return target < 0 ? nil : Object(schema: schema, index: Int(target))
        }

        /// The field describing the other side of a RELATION field.
        public var relationTargetField: Field? {
            let target = schema.shape.relationTargetField[globalIndex]
            return target < 0 ? nil : Field(schema: schema, globalIndex: Int(target))
        }

        /// The objects a MORPH_RELATION field may point at, each through its own `<name><Target>Id` column.
        public var morphTargetObjects: [Object] {
            (schema.shape.morphTargets[Int32(globalIndex)] ?? []).map { Object(schema: schema, index: Int($0)) }
        }

        /// The one-to-many fields, one on each target object, whose inverse is this MORPH_RELATION field.
        public var morphInverseFields: [Field] {
            morphTargetObjects.compactMap { target in
                target.fields.first { $0.type == .relation && $0.relationTargetField?.globalIndex == globalIndex }
            }
        }

        /// `RelationType` from the relation's settings (`relationType`).
        public var relationType: RelationType? {
            guard case .object(let settings)? = content.settings, case .string(let raw)? = settings["relationType"] else { return nil }
            return RelationType(rawValue: raw)
        }

        /// Stands for an option stored without an id.
        static let noID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    }

    /// A SELECT option.
    public struct Option: Sendable, Hashable {
        public var id: UUID?
        public var value: String
        public var label: String
        public var position: Int?
        public var color: String?
    }
}
