import AtriumCore
import GraphQL
import OrderedCollections

/// Builds a workspace's records GraphQL schema from its metadata snapshot, with Twenty's type and operation names:
/// `Company`, `CompanyConnection`, `CompanyEdge`, `CompanyFilterInput`, `CompanyOrderByInput`, `CompanyCreateInput`,
/// `CompanyUpdateInput`, composite types (`FullName`, `Currency`, …) and their inputs, and per object the root fields
/// `companies`, `company`, `companyDuplicates`, `companiesGroupBy`, `createCompany`, `createCompanies`, `updateCompany`,
/// `updateCompanies`, `deleteCompany`, `deleteCompanies`, `destroyCompany`, `destroyCompanies`, `restoreCompany`,
/// `restoreCompanies` and `mergeCompanies`.
///
/// Types refer to each other (Company ↔ Person), so fields are thunks resolved through this builder once the schema
/// is assembled; they hold it weakly and the schema's cache entry holds it strongly, so nothing leaks when the entry
/// goes.
final class GraphQLSchemaBuilder {
    let workspace: WorkspaceSchema
    let resolve: GraphQLRootField.Resolver
    private(set) var objects: [String: GraphQLObjectType] = [:]
    private(set) var connections: [String: GraphQLObjectType] = [:]
    private(set) var filters: [String: GraphQLInputObjectType] = [:]
    private(set) var orderBys: [String: GraphQLInputObjectType] = [:]
    private var enums: [String: GraphQLEnumType] = [:]
    private var composites: [FieldType: CompositeTypes] = [:]
    /// `<Composite>GroupByInput` types, by name.
    var groupByComposites: [String: GraphQLInputObjectType] = [:]
    /// `<Target>RelationInput` types, by target object.
    var relationInputs: [String: GraphQLInputObjectType] = [:]
    /// Input fields by type name. GraphQLSwift asks for an input type's fields on every validation; they are computed
    /// while the schema is assembled (one thread) and only read afterwards.
    private var inputFields: [String: InputObjectFieldMap] = [:]

    /// A composite field type's output and input types.
    struct CompositeTypes {
        let object: GraphQLObjectType
        let filter: GraphQLInputObjectType
        let orderBy: GraphQLInputObjectType
        let create: GraphQLInputObjectType
        let update: GraphQLInputObjectType
    }

    /// - Parameter resolve: The resolver of every root field.
    init(workspace: WorkspaceSchema, resolve: @escaping GraphQLRootField.Resolver) {
        self.workspace = workspace
        self.resolve = resolve
    }

    /// The active objects exposed (an object whose plural equals its singular would clash with itself).
    var exposed: [WorkspaceSchema.Object] {
        workspace.objects.filter { $0.isActive && $0.nameSingular != $0.namePlural }
    }

    /// Builds the schema.
    func build() throws -> GraphQLSchema {
        let objectsExposed = exposed
        for object in objectsExposed { try declare(object) }
        var query = GraphQLFieldMap()
        var mutation = GraphQLFieldMap()
        for object in objectsExposed {
            try addRootFields(object, query: &query, mutation: &mutation)
        }
        if query["search"] == nil { query["search"] = GraphQLSearchField.field }
        let schema = try GraphQLSchema(
            query: try GraphQLObjectType(name: "Query", fields: query),
            mutation: try GraphQLObjectType(name: "Mutation", fields: mutation)
        )
        try GraphQLIntrospectionPatch.apply(to: schema)
        return schema
    }

    // MARK: - Declarations

    private func declare(_ object: WorkspaceSchema.Object) throws {
        let name = Self.typeName(object)
        let singular = object.nameSingular
        objects[singular] = try GraphQLObjectType(name: name, description: object.description, fields: { [weak self] in
            guard let self else { return [:] }
            return try self.objectFields(self.workspace.object(nameSingular: singular)!)
        })
        let edge = try GraphQLObjectType(name: name + "Edge", fields: { [weak self] in
            guard let self else { return [:] }
            return ["node": GraphQLField(type: GraphQLNonNull(self.objects[singular]!)),
                    "cursor": GraphQLField(type: GraphQLNonNull(GraphQLScalars.connectionCursor))]
        })
        connections[singular] = try GraphQLObjectType(name: name + "Connection", fields: { [weak self] in
            guard let self else { return [:] }
            var fields: GraphQLFieldMap = [
                "edges": GraphQLField(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(edge)))),
                "pageInfo": GraphQLField(type: GraphQLNonNull(GraphQLScalars.pageInfo)),
            ]
            for aggregate in self.workspace.object(nameSingular: singular)!.aggregateFields {
                fields[aggregate.name] = GraphQLField(type: Self.aggregateType(aggregate))
            }
            return fields
        })
        filters[singular] = try GraphQLInputObjectType(name: name + "FilterInput", fields: { [weak self] in
            guard let self else { return [:] }
            return try self.memoized(name + "FilterInput") { try self.filterFields(self.workspace.object(nameSingular: singular)!) }
        })
        orderBys[singular] = try GraphQLInputObjectType(name: name + "OrderByInput", fields: { [weak self] in
            guard let self else { return [:] }
            return try self.memoized(name + "OrderByInput") { try self.orderByFields(self.workspace.object(nameSingular: singular)!) }
        })
    }

    /// The fields of input type `name`, computed once.
    func memoized(_ name: String, _ make: () throws -> InputObjectFieldMap) rethrows -> InputObjectFieldMap {
        if let fields = inputFields[name] { return fields }
        let fields = try make()
        inputFields[name] = fields
        return fields
    }

    static func typeName(_ object: WorkspaceSchema.Object) -> String { pascalCase(object.nameSingular) }

    static func pascalCase(_ name: String) -> String { name.prefix(1).uppercased() + name.dropFirst() }

    static func aggregateType(_ aggregate: AggregateField) -> any GraphQLOutputType {
        switch aggregate.result {
        case .int: GraphQLInt
        case .float: GraphQLFloat
        case .dateTime: GraphQLScalars.dateTime
        case .date: GraphQLScalars.date
        }
    }

    // MARK: - Object fields

    private func objectFields(_ object: WorkspaceSchema.Object) throws -> GraphQLFieldMap {
        var fields = GraphQLFieldMap()
        for field in object.fields where field.isActive {
            switch field.storage {
            case .hidden:
                continue
            case .scalar(let column):
                fields[field.name] = GraphQLField(type: try outputType(field, column), description: field.description)
            case .composite:
                guard let composite = try compositeTypes(field.type) else { continue }
                fields[field.name] = GraphQLField(type: composite.object, description: field.description)
            case .foreignKey(let column, let target):
                fields[column.name] = GraphQLField(type: GraphQLScalars.uuid)
                if let type = objects[target.nameSingular] {
                    fields[field.name] = GraphQLField(type: type, description: field.description)
                }
            case .morph(let targets):
                for (column, _) in targets { fields[column.name] = GraphQLField(type: GraphQLScalars.uuid) }
            case .oneToMany(let target, _):
                guard let connection = connections[target.nameSingular] else { continue }
                fields[field.name] = GraphQLField(type: connection, description: field.description, args: connectionArguments(target))
            }
        }
        return fields
    }

    /// `filter`, `orderBy`, `first`, `last`, `before`, `after`, `offset`.
    func connectionArguments(_ object: WorkspaceSchema.Object) -> GraphQLArgumentConfigMap {
        var arguments = GraphQLArgumentConfigMap()
        if let filter = filters[object.nameSingular] { arguments["filter"] = GraphQLArgument(type: filter) }
        if let orderBy = orderBys[object.nameSingular] { arguments["orderBy"] = GraphQLArgument(type: GraphQLList(orderBy)) }
        arguments["first"] = GraphQLArgument(type: GraphQLInt)
        arguments["last"] = GraphQLArgument(type: GraphQLInt)
        arguments["before"] = GraphQLArgument(type: GraphQLString)
        arguments["after"] = GraphQLArgument(type: GraphQLString)
        arguments["offset"] = GraphQLArgument(type: GraphQLInt)
        return arguments
    }

    /// The output type of a one-column field.
    private func outputType(_ field: WorkspaceSchema.Field, _ column: RecordColumn) throws -> any GraphQLOutputType {
        let values: any GraphQLOutputType & GraphQLInputType & GraphQLNullableType = try enumType(field) ?? GraphQLString
        switch field.type {
        case .select, .rating: return values
        case .multiSelect: return GraphQLList(GraphQLNonNull(values))
        case .position: return GraphQLScalars.position
        case .number: return Self.numberScalar(NumberDataType(settings: field.settings))
        default: return Self.scalar(column.type)
        }
    }

    /// The input type of a one-column field.
    func inputType(_ field: WorkspaceSchema.Field, _ column: RecordColumn) throws -> any GraphQLInputType {
        let values: any GraphQLOutputType & GraphQLInputType & GraphQLNullableType = try enumType(field) ?? GraphQLString
        switch field.type {
        case .select, .rating: return values
        case .multiSelect: return GraphQLList(GraphQLNonNull(values))
        case .position: return GraphQLScalars.position
        case .number: return Self.numberScalar(NumberDataType(settings: field.settings))
        default: return Self.scalar(column.type)
        }
    }

    /// The GraphQL scalar for a column type.
    static func scalar(_ type: ColumnType) -> any GraphQLOutputType & GraphQLInputType & GraphQLNullableType {
        switch type {
        case .text, .enumeration, .tsvector: GraphQLString
        case .uuid: GraphQLScalars.uuid
        case .float: GraphQLFloat
        case .numeric: GraphQLScalars.bigFloat
        case .boolean: GraphQLBoolean
        case .timestamptz: GraphQLScalars.dateTime
        case .date: GraphQLScalars.date
        case .jsonb: GraphQLScalars.rawJSON
        case .textArray, .enumerationArray: GraphQLList(GraphQLString)
        }
    }

    /// `<Object><Field>Enum` for SELECT, MULTI_SELECT and RATING fields whose values are GraphQL names.
    private func enumType(_ field: WorkspaceSchema.Field) throws -> GraphQLEnumType? {
        guard [.select, .multiSelect, .rating].contains(field.type) else { return nil }
        let name = Self.pascalCase(field.object.nameSingular) + Self.pascalCase(field.name) + "Enum"
        if let existing = enums[name] { return existing }
        let values: [(String, String?)] = field.type == .rating
            ? RatingValues.values.map { ($0, nil) }
            : (field.options ?? []).map { ($0.value, $0.label) }
        guard !values.isEmpty, values.allSatisfy({ (try? SelectionNames.check($0.0)) != nil }) else { return nil }
        var map = GraphQLEnumValueMap()
        for (value, label) in values { map[value] = GraphQLEnumValue(value: .string(value), description: label) }
        let type = try GraphQLEnumType(name: name, description: field.description, values: map)
        enums[name] = type
        return type
    }

    // MARK: - Composite types

    /// `FullName`, `FullNameFilterInput`, `FullNameOrderByInput`, `FullNameCreateInput`, `FullNameUpdateInput`.
    func compositeTypes(_ type: FieldType) throws -> CompositeTypes? {
        if let existing = composites[type] { return existing }
        guard let composite = CompositeType.of(type) else { return nil }
        let name = Self.compositeTypeName(type)
        var output = GraphQLFieldMap()
        var filter = InputObjectFieldMap()
        var orderBy = InputObjectFieldMap()
        var create = InputObjectFieldMap()
        for property in composite.properties {
            let scalar = Self.scalar(property.columnType)
            output[property.name] = GraphQLField(type: scalar)
            filter[property.name] = InputObjectField(type: Self.filterType(property.columnType))
            if property.columnType != .jsonb { orderBy[property.name] = InputObjectField(type: GraphQLScalars.orderByDirection) }
            create[property.name] = InputObjectField(type: scalar)
        }
        let types = CompositeTypes(
            object: try GraphQLObjectType(name: name, fields: output),
            filter: try GraphQLInputObjectType(name: name + "FilterInput", fields: filter),
            orderBy: try GraphQLInputObjectType(name: name + "OrderByInput", fields: orderBy),
            create: try GraphQLInputObjectType(name: name + "CreateInput", fields: create),
            update: try GraphQLInputObjectType(name: name + "UpdateInput", fields: create)
        )
        composites[type] = types
        return types
    }

    /// A NUMBER field's scalar, by its `settings.dataType` as Twenty's `getNumberScalarType`: `Int` for `int`,
    /// `BigInt` for `bigint`, `Float` otherwise (the column is `double precision` whatever the kind).
    static func numberScalar(_ kind: NumberDataType) -> any GraphQLOutputType & GraphQLInputType & GraphQLNullableType {
        switch kind {
        case .float: GraphQLFloat
        case .int: GraphQLInt
        case .bigint: GraphQLScalars.bigInt
        }
    }

    /// A NUMBER field's filter input, by its `settings.dataType` (Twenty's `getNumberFilterType`).
    static func numberFilter(_ kind: NumberDataType) -> GraphQLInputObjectType {
        switch kind {
        case .float: GraphQLScalars.floatFilter
        case .int: GraphQLScalars.intFilter
        case .bigint: GraphQLScalars.bigIntFilter
        }
    }

    /// The filter input of a column type.
    static func filterType(_ type: ColumnType) -> GraphQLInputObjectType {
        switch type {
        case .text, .tsvector: GraphQLScalars.stringFilter
        case .uuid: GraphQLScalars.uuidFilter
        case .float: GraphQLScalars.floatFilter
        case .numeric: GraphQLScalars.bigFloatFilter
        case .boolean: GraphQLScalars.booleanFilter
        case .timestamptz: GraphQLScalars.dateTimeFilter
        case .date: GraphQLScalars.dateFilter
        case .jsonb: GraphQLScalars.rawJSONFilter
        case .enumeration: GraphQLScalars.selectFilter
        case .enumerationArray: GraphQLScalars.multiSelectFilter
        case .textArray: GraphQLScalars.arrayFilter
        }
    }
}
