import Foundation

/// One option of a SELECT or MULTI_SELECT field, in Twenty's shape.
public struct FieldOption: Sendable, Hashable, Codable {
    /// Stored value (upper snake case by convention: `IN_PROGRESS`).
    public var value: String
    public var label: String
    public var position: Int
    /// Twenty's color name (`red`, `sky`, `turquoise`, …).
    public var color: String

    public init(_ value: String, _ label: String, position: Int, color: String) {
        self.value = value
        self.label = label
        self.position = position
        self.color = color
    }
}

/// Which side of a relation a RELATION field is.
public enum RelationType: String, Sendable, Hashable, Codable {
    /// This object holds `<field>Id`.
    case manyToOne = "MANY_TO_ONE"
    /// The target holds the foreign key; this field lists the targets.
    case oneToMany = "ONE_TO_MANY"
}

/// What destroying a relation's target does to the records that point at it.
public enum RelationOnDelete: String, Sendable, Hashable, Codable {
    case cascade = "CASCADE"
    case restrict = "RESTRICT"
    case setNull = "SET_NULL"
    case noAction = "NO_ACTION"
}

/// The relation a RELATION field describes.
public struct RelationDefinition: Sendable, Hashable {
    public var type: RelationType
    /// The `nameSingular` of the other object.
    public var targetObject: String
    /// The name of the field on the other object that describes the other side.
    public var inverseField: String
    /// Only on the many-to-one side (the one holding the foreign key).
    public var onDelete: RelationOnDelete?

    public init(_ type: RelationType, target: String, inverse: String, onDelete: RelationOnDelete? = nil) {
        self.type = type
        self.targetObject = target
        self.inverseField = inverse
        self.onDelete = onDelete
    }
}

/// A field of an object, declared once; its metadata row, its columns and its API types derive from it.
///
/// `defaultValue` follows Twenty's metadata convention: SQL-ish strings (`"'NEW'"`, `"''"`, `"now"`, `"uuid"`),
/// numbers and booleans as they are, and an object of such per property for composites.
public struct FieldDefinition: Sendable, Hashable {
    public var name: String
    public var label: String
    public var type: FieldType
    public var description: String?
    public var icon: String?
    public var isNullable: Bool
    public var isUnique: Bool
    public var isSystem: Bool
    public var isUIReadOnly: Bool
    public var defaultValue: JSONValue?
    public var options: [FieldOption]?
    /// Type-specific settings, as Twenty stores them (`{"displayAsRelativeDate": true}`, `{"dataType": "int"}`).
    public var settings: JSONValue?
    /// Present when `type` is RELATION, or MORPH_RELATION with one entry per target in `morphTargets`.
    public var relation: RelationDefinition?
    /// The targets of a MORPH_RELATION, each with its own `<name><Target>Id` column.
    public var morphTargets: [RelationDefinition]

    public init(
        _ name: String,
        _ type: FieldType,
        label: String,
        description: String? = nil,
        icon: String? = nil,
        isNullable: Bool = true,
        isUnique: Bool = false,
        isSystem: Bool = false,
        isUIReadOnly: Bool = false,
        defaultValue: JSONValue? = nil,
        options: [FieldOption]? = nil,
        settings: JSONValue? = nil,
        relation: RelationDefinition? = nil,
        morphTargets: [RelationDefinition] = []
    ) {
        self.name = name
        self.label = label
        self.type = type
        self.description = description
        self.icon = icon
        self.isNullable = isNullable
        self.isUnique = isUnique
        self.isSystem = isSystem
        self.isUIReadOnly = isUIReadOnly
        self.defaultValue = defaultValue
        self.options = options
        self.settings = settings
        self.relation = relation
        self.morphTargets = morphTargets
    }

    /// A many-to-one relation: this object gets `<name>Id`.
    public static func manyToOne(
        _ name: String, label: String, target: String, inverse: String, onDelete: RelationOnDelete = .setNull,
        description: String? = nil, icon: String? = nil, isNullable: Bool = true, isSystem: Bool = false
    ) -> FieldDefinition {
        FieldDefinition(
            name, .relation, label: label, description: description, icon: icon, isNullable: isNullable, isSystem: isSystem,
            relation: RelationDefinition(.manyToOne, target: target, inverse: inverse, onDelete: onDelete)
        )
    }

    /// A one-to-many relation: the inverse side of a `manyToOne` on `target`.
    public static func oneToMany(
        _ name: String, label: String, target: String, inverse: String,
        description: String? = nil, icon: String? = nil, isSystem: Bool = false
    ) -> FieldDefinition {
        FieldDefinition(
            name, .relation, label: label, description: description, icon: icon, isSystem: isSystem,
            relation: RelationDefinition(.oneToMany, target: target, inverse: inverse)
        )
    }
}
