/// A column of a workspace table as queries see it: its name and type, and for enums the type's name.
public struct RecordColumn: Sendable, Hashable {
    public let name: String
    public let type: ColumnType
    /// `<table>_<column>_enum` for enum and enum-array columns.
    public let enumTypeName: String?

    init(_ name: String, _ type: ColumnType, table: String) {
        self.name = name
        self.type = type
        self.enumTypeName = (type == .enumeration || type == .enumerationArray) ? "\(table)_\(name)_enum" : nil
    }

    /// The SQL type to cast a text parameter to, schema-qualified for enums.
    func sqlType(schema: SQLIdentifier) throws -> String {
        if let sqlName = type.sqlName { return sqlName }
        let enumType = "\(schema).\(try SQLIdentifier(enumTypeName ?? ""))"
        return type == .enumerationArray ? enumType + "[]" : enumType
    }
}

/// How a field's values are stored in its object's table.
public enum FieldStorage: Sendable {
    /// One column.
    case scalar(RecordColumn)
    /// One column per property, in the composite type's order.
    case composite([(property: String, column: RecordColumn)])
    /// A many-to-one relation: the `<name>Id` column, and the target object.
    case foreignKey(RecordColumn, target: WorkspaceSchema.Object)
    /// A one-to-many relation: no column; the target's `inverse` field holds the key.
    case oneToMany(target: WorkspaceSchema.Object, inverse: WorkspaceSchema.Field)
    /// A MORPH_RELATION: one `<name><Target>Id` column per target object.
    case morph([(column: RecordColumn, target: WorkspaceSchema.Object)])
    /// Not readable or writable through the APIs (`searchVector`).
    case hidden
}

extension WorkspaceSchema.Field {
    /// Where this field's values live.
    public var storage: FieldStorage {
        let table = object.targetTableName
        if let composite = CompositeType.of(type) {
            return .composite(composite.properties.map { property in
                (property.name, RecordColumn(CompositeType.columnName(field: name, property: property.name), property.columnType, table: table))
            })
        }
        switch type {
        case .tsVector:
            return .hidden
        case .relation:
            guard let target = relationTargetObject else { return .hidden }
            if relationType == .oneToMany {
                guard let inverse = relationTargetField else { return .hidden }
                return .oneToMany(target: target, inverse: inverse)
            }
            return .foreignKey(RecordColumn(name + "Id", .uuid, table: table), target: target)
        case .morphRelation:
            return .morph(morphTargetObjects.map { target in
                (RecordColumn(morphColumnName(target: target), .uuid, table: table), target)
            })
        default:
            return .scalar(RecordColumn(name, ColumnType.scalar(for: type), table: table))
        }
    }

    /// The column of this many-to-one or morph field that holds ids of `target` records (the key of `target`'s
    /// one-to-many side).
    func keyColumn(pointingAt target: WorkspaceSchema.Object) -> String? {
        switch storage {
        case .foreignKey(let column, _): column.name
        case .morph: morphColumnName(target: target)
        default: nil
        }
    }

    /// `target` + `Company` + `Id`.
    func morphColumnName(target: WorkspaceSchema.Object) -> String {
        name + target.nameSingular.prefix(1).uppercased() + target.nameSingular.dropFirst() + "Id"
    }
}

extension WorkspaceSchema.Object {
    /// Every column of the object's table that the APIs read or write, with the field owning it.
    var columns: [(field: WorkspaceSchema.Field, column: RecordColumn)] {
        fields.flatMap { field -> [(WorkspaceSchema.Field, RecordColumn)] in
            switch field.storage {
            case .scalar(let column), .foreignKey(let column, _): [(field, column)]
            case .composite(let properties): properties.map { (field, $0.column) }
            case .morph(let targets): targets.map { (field, $0.column) }
            case .oneToMany, .hidden: []
            }
        }
    }

    /// The column called `name` (duplicate criteria name columns, not fields).
    func column(named name: String) -> (field: WorkspaceSchema.Field, column: RecordColumn)? {
        columns.first { $0.column.name == name }
    }
}
