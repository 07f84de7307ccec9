import AtriumCore
import GraphQL
import OrderedCollections

/// A root field of the records schema: which object, which operation.
struct GraphQLRootField: Sendable {
    enum Operation: Sendable {
        case findMany, findOne, findDuplicates, groupBy
        case createOne, createMany, updateOne, updateMany
        case deleteOne, deleteMany, destroyOne, destroyMany, restoreOne, restoreMany, mergeMany
    }

    /// Runs a root field: (field, coerced arguments, request context, info).
    typealias Resolver = @Sendable (GraphQLRootField, Map, any Sendable, GraphQLResolveInfo) async throws -> (any Sendable)?

    let object: String
    let operation: Operation
}

extension GraphQLSchemaBuilder {
    /// The query and mutation fields of `object`, named as Twenty names them.
    func addRootFields(_ object: WorkspaceSchema.Object, query: inout GraphQLFieldMap, mutation: inout GraphQLFieldMap) throws {
        let singular = object.nameSingular
        guard let type = objects[singular], let connection = connections[singular], let filter = filters[singular] else { return }
        let name = Self.typeName(object)
        let create = try GraphQLInputObjectType(name: name + "CreateInput", fields: { [weak self] in
            guard let self else { return [:] }
            return try self.memoized(name + "CreateInput") { try self.writeFields(self.workspace.object(nameSingular: singular)!, create: true) }
        })
        let update = try GraphQLInputObjectType(name: name + "UpdateInput", fields: { [weak self] in
            guard let self else { return [:] }
            return try self.memoized(name + "UpdateInput") { try self.writeFields(self.workspace.object(nameSingular: singular)!, create: false) }
        })
        let id = GraphQLArgument(type: GraphQLNonNull(GraphQLScalars.uuid))
        let requiredFilter = GraphQLArgument(type: GraphQLNonNull(filter))
        let plural = Self.pascalCase(object.namePlural)

        func field(_ operation: GraphQLRootField.Operation, _ output: any GraphQLOutputType, _ arguments: GraphQLArgumentConfigMap) -> GraphQLField {
            let root = GraphQLRootField(object: singular, operation: operation)
            let resolve = self.resolve
            return GraphQLField(type: output, args: arguments, resolve: { source, args, context, info in
                try await resolve(root, args, context, info)
            })
        }

        query[object.namePlural] = field(.findMany, connection, connectionArguments(object))
        query[object.nameSingular] = field(.findOne, type, ["filter": requiredFilter])
        query[object.nameSingular + "Duplicates"] = field(.findDuplicates, GraphQLList(GraphQLNonNull(connection)), [
            "ids": GraphQLArgument(type: GraphQLList(GraphQLScalars.uuid)), "data": GraphQLArgument(type: GraphQLList(create)),
        ])
        var groupByArguments: GraphQLArgumentConfigMap = [
            "groupBy": GraphQLArgument(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(try groupByInput(object))))),
            "filter": GraphQLArgument(type: filter),
            "orderBy": GraphQLArgument(type: GraphQLList(try orderByWithGroupByInput(object))),
        ]
        if let orderBy = orderBys[singular] { groupByArguments["orderByForRecords"] = GraphQLArgument(type: GraphQLList(orderBy)) }
        groupByArguments["viewId"] = GraphQLArgument(type: GraphQLScalars.uuid)
        groupByArguments["limit"] = GraphQLArgument(type: GraphQLInt)
        query[object.namePlural + "GroupBy"] = field(.groupBy, GraphQLList(GraphQLNonNull(try groupByConnection(object))), groupByArguments)

        let upsert = GraphQLArgument(type: GraphQLBoolean)
        mutation["create" + name] = field(.createOne, type, ["data": GraphQLArgument(type: GraphQLNonNull(create)), "upsert": upsert])
        mutation["create" + plural] = field(.createMany, GraphQLList(type), [
            "data": GraphQLArgument(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(create)))), "upsert": upsert,
        ])
        // An object with nothing writable (only relations it does not own) has no update input: GraphQL forbids empty ones.
        if try !writeFields(object, create: false).isEmpty {
            mutation["update" + name] = field(.updateOne, type, ["id": id, "data": GraphQLArgument(type: GraphQLNonNull(update))])
            mutation["update" + plural] = field(.updateMany, GraphQLList(type), [
                "data": GraphQLArgument(type: GraphQLNonNull(update)), "filter": requiredFilter,
            ])
        }
        mutation["delete" + name] = field(.deleteOne, type, ["id": id])
        mutation["delete" + plural] = field(.deleteMany, GraphQLList(type), ["filter": requiredFilter])
        mutation["destroy" + name] = field(.destroyOne, type, ["id": id])
        mutation["destroy" + plural] = field(.destroyMany, GraphQLList(type), ["filter": requiredFilter])
        mutation["restore" + name] = field(.restoreOne, type, ["id": id])
        mutation["restore" + plural] = field(.restoreMany, GraphQLList(type), ["filter": requiredFilter])
        mutation["merge" + plural] = field(.mergeMany, type, [
            "ids": GraphQLArgument(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLScalars.uuid)))),
            "conflictPriorityIndex": GraphQLArgument(type: GraphQLNonNull(GraphQLInt)),
            "dryRun": GraphQLArgument(type: GraphQLBoolean),
        ])
    }
}
