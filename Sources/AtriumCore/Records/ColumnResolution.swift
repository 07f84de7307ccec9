/// A column that a filter or an ordering addresses, with the field it belongs to.
struct ResolvedColumn {
    let field: WorkspaceSchema.Field
    let column: RecordColumn
    /// The path as the client wrote it, for messages.
    let label: String

    var value: ColumnValue { ColumnValue(column: column, allowed: field.allowedValues(for: column), label: label) }
}

extension WorkspaceSchema.Object {
    /// The column `path` addresses: a scalar field, a composite field's property, or a relation's `<name>Id` column.
    /// - Parameter primaryPropertyByDefault: For orderings: a composite field without a property means its main one
    ///   (`name` → `name.firstName`).
    /// - Throws: ``AtriumError`` `.validationFailed` for unknown fields, properties, and fields that hold no column.
    func resolve(_ path: FieldPath, primaryPropertyByDefault: Bool = false) throws -> ResolvedColumn {
        if let field = field(named: path.field), field.isActive {
            switch field.storage {
            case .scalar(let column):
                guard path.subfield == nil else { throw unknownProperty(path, field: field) }
                return ResolvedColumn(field: field, column: column, label: path.description)
            case .composite(let properties):
                let wanted = path.subfield ?? (primaryPropertyByDefault ? properties.first?.property : nil)
                guard let wanted else {
                    throw AtriumError(.validationFailed, "Field '\(field.name)' is composite: address one of its properties, "
                        + "e.g. '\(field.name).\(properties.first?.property ?? "")'")
                }
                guard let property = properties.first(where: { $0.property == wanted }) else { throw unknownProperty(path, field: field) }
                return ResolvedColumn(field: field, column: property.column, label: "\(field.name).\(wanted)")
            case .foreignKey(let column, _):
                throw AtriumError(.validationFailed, "Field '\(field.name)' is a relation: use '\(column.name)'")
            case .oneToMany, .morph, .hidden:
                throw AtriumError(.validationFailed, "Field '\(field.name)' of object '\(nameSingular)' cannot be used here")
            }
        }
        for field in fields where field.isActive {
            switch field.storage {
            case .foreignKey(let column, _) where column.name == path.field:
                return ResolvedColumn(field: field, column: column, label: column.name)
            case .morph(let targets):
                if let (column, _) = targets.first(where: { $0.column.name == path.field }) {
                    return ResolvedColumn(field: field, column: column, label: column.name)
                }
            default:
                continue
            }
        }
        throw AtriumError(.validationFailed, "Object '\(nameSingular)' has no field '\(path.field)'")
    }

    private func unknownProperty(_ path: FieldPath, field: WorkspaceSchema.Field) -> AtriumError {
        if case .composite(let properties) = field.storage {
            return AtriumError(.validationFailed, "Field '\(field.name)' has no property '\(path.subfield ?? "")'; "
                + "its properties are \(properties.map(\.property).joined(separator: ", "))")
        }
        return AtriumError(.validationFailed, "Field '\(field.name)' has no properties")
    }
}
