import AtriumCore
import GraphQL
import OrderedCollections

// MARK: - Group-by types

extension GraphQLSchemaBuilder {
    /// `CompanyGroupByConnection`: a connection over one group's records (edges, pageInfo, totalCount, aggregates) and
    /// `groupByDimensionValues: [String!]!`.
    func groupByConnection(_ object: WorkspaceSchema.Object) throws -> GraphQLObjectType {
        let singular = object.nameSingular
        let name = Self.typeName(object)
        return try GraphQLObjectType(name: name + "GroupByConnection", description: object.description, fields: { [weak self] in
            guard let self, let connection = self.connections[singular] else { return [:] }
            var fields = try connection.fields()
            fields["groupByDimensionValues"] = GraphQLField(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLString))))
            return fields
        })
    }

    /// `CompanyGroupByInput`: `true` per field to group by (composite fields per property, relations by `<name>Id`),
    /// and `{granularity}` for date fields.
    func groupByInput(_ object: WorkspaceSchema.Object) throws -> GraphQLInputObjectType {
        let singular = object.nameSingular
        let name = Self.typeName(object) + "GroupByInput"
        return try GraphQLInputObjectType(name: name, description: object.description, fields: { [weak self] in
            guard let self else { return [:] }
            return try self.memoized(name) { try self.groupByFields(self.workspace.object(nameSingular: singular)!) }
        })
    }

    private func groupByFields(_ object: WorkspaceSchema.Object) throws -> InputObjectFieldMap {
        var fields = InputObjectFieldMap()
        for field in object.fields where field.isActive {
            switch field.storage {
            case .scalar(let column) where Self.isGroupable(column.type):
                let isDate = column.type == .timestamptz || column.type == .date
                fields[field.name] = InputObjectField(type: isDate ? GraphQLScalars.groupByDateGranularityInput : GraphQLBoolean,
                                                      description: field.description)
            case .composite:
                if let input = try compositeGroupByInput(field.type) { fields[field.name] = InputObjectField(type: input) }
            case .foreignKey(let column, _):
                fields[column.name] = InputObjectField(type: GraphQLBoolean, description: field.description)
            default:
                continue
            }
        }
        return fields
    }

    /// `CompanyOrderByWithGroupByInput`: `aggregate: {<aggregate>: direction}` and a direction per dimension (dates as
    /// `{orderBy, granularity}`).
    func orderByWithGroupByInput(_ object: WorkspaceSchema.Object) throws -> GraphQLInputObjectType {
        let singular = object.nameSingular
        let name = Self.typeName(object) + "OrderByWithGroupByInput"
        var aggregateFields = InputObjectFieldMap()
        for aggregate in object.aggregateFields {
            aggregateFields[aggregate.name] = InputObjectField(type: GraphQLScalars.orderByDirection)
        }
        let aggregate = try GraphQLInputObjectType(name: Self.typeName(object) + "OrderByWithGroupByAggregateInput",
                                                   description: "Aggregate-based ordering", fields: aggregateFields)
        return try GraphQLInputObjectType(name: name, description: object.description, fields: { [weak self] in
            guard let self else { return [:] }
            return try self.memoized(name) {
                var fields = try self.orderByFields(self.workspace.object(nameSingular: singular)!)
                for field in self.workspace.object(nameSingular: singular)!.fields where field.isActive {
                    if case .scalar(let column) = field.storage, column.type == .timestamptz || column.type == .date {
                        fields[field.name] = InputObjectField(type: GraphQLScalars.orderByDateGranularityInput)
                    }
                }
                fields["aggregate"] = InputObjectField(type: aggregate, description: "Order by aggregate values")
                return fields
            }
        })
    }

    /// `LinksGroupByInput` and friends: `true` per groupable property.
    private func compositeGroupByInput(_ type: FieldType) throws -> GraphQLInputObjectType? {
        let name = Self.compositeTypeName(type) + "GroupByInput"
        if let existing = groupByComposites[name] { return existing }
        guard let composite = CompositeType.of(type) else { return nil }
        var fields = InputObjectFieldMap()
        for property in composite.properties where Self.isGroupable(property.columnType) {
            fields[property.name] = InputObjectField(type: GraphQLBoolean)
        }
        guard !fields.isEmpty else { return nil }
        let input = try GraphQLInputObjectType(name: name, fields: fields)
        groupByComposites[name] = input
        return input
    }

    /// Whether records can be grouped by a column of this type (not JSON nor search vectors).
    static func isGroupable(_ type: ColumnType) -> Bool { type != .jsonb && type != .tsvector }
}
