import Foundation

/// What `createOneObject` asks for (Twenty's `CreateObjectInput`).
public struct ObjectCreation: Sendable, Hashable {
    public var nameSingular: String
    public var namePlural: String
    public var labelSingular: String
    public var labelPlural: String
    public var description: String?
    public var icon: String?
    public var shortcut: String?
    public var isLabelSyncedWithName: Bool

    public init(
        nameSingular: String, namePlural: String, labelSingular: String, labelPlural: String,
        description: String? = nil, icon: String? = nil, shortcut: String? = nil, isLabelSyncedWithName: Bool = false
    ) {
        self.nameSingular = nameSingular
        self.namePlural = namePlural
        self.labelSingular = labelSingular
        self.labelPlural = labelPlural
        self.description = description
        self.icon = icon
        self.shortcut = shortcut
        self.isLabelSyncedWithName = isLabelSyncedWithName
    }
}

/// What `updateOneObject` may change (Twenty's `UpdateObjectPayload`); `nil` leaves a property as it is.
public struct ObjectUpdate: Sendable, Hashable {
    public var nameSingular: String?
    public var namePlural: String?
    public var labelSingular: String?
    public var labelPlural: String?
    /// `.some(nil)` clears the description.
    public var description: String??
    public var icon: String??
    public var shortcut: String??
    public var isActive: Bool?
    public var isLabelSyncedWithName: Bool?
    public var labelIdentifierFieldMetadataId: UUID?
    public var imageIdentifierFieldMetadataId: UUID??

    public init() {}
}

/// The other side of a relation field being created (Twenty's `relationCreationPayload`).
public struct RelationCreation: Sendable, Hashable {
    /// The object the relation points at.
    public var targetObjectMetadataId: UUID
    /// The label of the field created on the target; its name is the camelCase of the label.
    public var targetFieldLabel: String?
    public var targetFieldIcon: String?
    /// The side the created field is: MANY_TO_ONE (this object holds the foreign key) or ONE_TO_MANY.
    public var type: RelationType
    /// What destroying the referenced record does (default SET_NULL).
    public var onDelete: RelationOnDelete

    public init(
        targetObjectMetadataId: UUID, targetFieldLabel: String? = nil, targetFieldIcon: String? = nil,
        type: RelationType = .manyToOne, onDelete: RelationOnDelete = .setNull
    ) {
        self.targetObjectMetadataId = targetObjectMetadataId
        self.targetFieldLabel = targetFieldLabel
        self.targetFieldIcon = targetFieldIcon
        self.type = type
        self.onDelete = onDelete
    }
}

/// An option as a client sends it: with its id when it already exists (so a changed value is a rename).
public struct FieldOptionInput: Sendable, Hashable {
    public var id: UUID?
    public var value: String
    public var label: String
    public var position: Int?
    public var color: String?

    public init(id: UUID? = nil, value: String, label: String, position: Int? = nil, color: String? = nil) {
        self.id = id
        self.value = value
        self.label = label
        self.position = position
        self.color = color
    }
}

/// What `createOneField` asks for (Twenty's `CreateFieldInput`).
public struct FieldCreation: Sendable, Hashable {
    public var objectMetadataId: UUID
    public var type: FieldType
    public var name: String
    public var label: String
    public var description: String?
    public var icon: String?
    public var defaultValue: JSONValue?
    public var options: [FieldOptionInput]?
    public var settings: JSONValue?
    public var isNullable: Bool
    public var isUnique: Bool
    public var isActive: Bool
    public var isLabelSyncedWithName: Bool
    /// Required for RELATION fields.
    public var relation: RelationCreation?
    /// Required for MORPH_RELATION fields: one entry per target object (Twenty's `morphRelationsCreationPayload`).
    public var morphRelations: [RelationCreation]

    public init(
        objectMetadataId: UUID, type: FieldType, name: String, label: String, description: String? = nil, icon: String? = nil,
        defaultValue: JSONValue? = nil, options: [FieldOptionInput]? = nil, settings: JSONValue? = nil, isNullable: Bool = true,
        isUnique: Bool = false, isActive: Bool = true, isLabelSyncedWithName: Bool = false, relation: RelationCreation? = nil,
        morphRelations: [RelationCreation] = []
    ) {
        self.objectMetadataId = objectMetadataId
        self.type = type
        self.name = name
        self.label = label
        self.description = description
        self.icon = icon
        self.defaultValue = defaultValue
        self.options = options
        self.settings = settings
        self.isNullable = isNullable
        self.isUnique = isUnique
        self.isActive = isActive
        self.isLabelSyncedWithName = isLabelSyncedWithName
        self.relation = relation
        self.morphRelations = morphRelations
    }
}

/// What `updateOneField` may change (Twenty's `UpdateFieldInput`); `nil` leaves a property as it is.
public struct FieldUpdate: Sendable, Hashable {
    /// A new name renames the field's column(s).
    public var name: String?
    public var label: String?
    public var description: String??
    public var icon: String??
    /// `false` hides the field from the APIs; its data stays.
    public var isActive: Bool?
    public var isLabelSyncedWithName: Bool?
    /// `.some(nil)` drops the default.
    public var defaultValue: JSONValue??
    /// The full new option list of a SELECT/MULTI_SELECT field.
    public var options: [FieldOptionInput]?
    public var settings: JSONValue??

    public init() {}
}
