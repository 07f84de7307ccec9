import AtriumCore
import GraphQL
import OrderedCollections

// MARK: - Filter, order and write inputs

extension GraphQLSchemaBuilder {
    /// `CompanyFilterInput`: `and`, `or`, `not`, and a filter per field (composite fields per property; relations by
    /// their `<name>Id`).
    func filterFields(_ object: WorkspaceSchema.Object) throws -> InputObjectFieldMap {
        guard let own = filters[object.nameSingular] else { return [:] }
        var fields: InputObjectFieldMap = [
            "and": InputObjectField(type: GraphQLList(GraphQLNonNull(own))),
            "or": InputObjectField(type: GraphQLList(GraphQLNonNull(own))),
            "not": InputObjectField(type: own),
        ]
        for field in object.fields where field.isActive {
            switch field.storage {
            case .scalar(let column):
                let filter = field.type == .number ? Self.numberFilter(NumberDataType(settings: field.settings)) : Self.filterType(column.type)
                fields[field.name] = InputObjectField(type: filter)
            case .composite:
                if let composite = try compositeTypes(field.type) { fields[field.name] = InputObjectField(type: composite.filter) }
            case .foreignKey(let column, _):
                fields[column.name] = InputObjectField(type: GraphQLScalars.uuidFilter)
            case .morph(let targets):
                for (column, _) in targets { fields[column.name] = InputObjectField(type: GraphQLScalars.uuidFilter) }
            case .oneToMany, .hidden:
                continue
            }
        }
        return fields
    }

    /// `CompanyOrderByInput`: a direction per orderable field (composite fields per property).
    func orderByFields(_ object: WorkspaceSchema.Object) throws -> InputObjectFieldMap {
        var fields = InputObjectFieldMap()
        for field in object.fields where field.isActive {
            switch field.storage {
            case .scalar(let column) where column.type != .jsonb:
                fields[field.name] = InputObjectField(type: GraphQLScalars.orderByDirection)
            case .composite:
                if let composite = try compositeTypes(field.type) { fields[field.name] = InputObjectField(type: composite.orderBy) }
            case .foreignKey(let column, _):
                fields[column.name] = InputObjectField(type: GraphQLScalars.orderByDirection)
            default:
                continue
            }
        }
        return fields
    }

    /// `CompanyCreateInput` / `CompanyUpdateInput`: every writable field; relations by `<name>Id` or as
    /// `<name>: {connect: {where: …}}` / `{disconnect: true}`.
    func writeFields(_ object: WorkspaceSchema.Object, create: Bool) throws -> InputObjectFieldMap {
        var fields = InputObjectFieldMap()
        if create { fields["id"] = InputObjectField(type: GraphQLScalars.uuid) }
        for field in object.fields where field.isActive && !Self.notWritable.contains(field.name) {
            switch field.storage {
            case .scalar(let column):
                fields[field.name] = InputObjectField(type: try inputType(field, column))
            case .composite:
                if let composite = try compositeTypes(field.type) {
                    fields[field.name] = InputObjectField(type: create ? composite.create : composite.update)
                }
            case .foreignKey(let column, let target):
                fields[column.name] = InputObjectField(type: GraphQLScalars.uuid)
                if objects[target.nameSingular] != nil { fields[field.name] = InputObjectField(type: try relationInput(target)) }
            case .morph(let targets):
                for (column, _) in targets { fields[column.name] = InputObjectField(type: GraphQLScalars.uuid) }
            case .oneToMany, .hidden:
                continue
            }
        }
        return fields
    }

    /// Fields the APIs never write (system timestamps), or that the server sets (actors).
    static let notWritable: Set<String> = ["id", "createdAt", "updatedAt", "deletedAt", "searchVector", "createdBy", "updatedBy"]
}
