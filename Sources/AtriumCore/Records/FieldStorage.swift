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

    /// `target` + `Company` + `Id`.
    func morphColumnName(target: WorkspaceSchema.Object) -> String {
        name + target.nameSingular.prefix(1).uppercased() + target.nameSingular.dropFirst() + "Id"
    }
}
