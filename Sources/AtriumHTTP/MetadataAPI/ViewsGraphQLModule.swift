import AtriumCore
import Foundation
import GraphQL
import Logging
import NIOCore
import OrderedCollections

/// Saved views on `/metadata`, with Twenty's 1.x names (`FE/generated-metadata/graphql.ts`): types `CoreView`,
/// `CoreViewField`, `CoreViewFilter`, `CoreViewFilterGroup`, `CoreViewSort`, `CoreViewGroup`, built from the same
/// ``ViewEntity`` descriptions as the store and the REST routes.
/// - Queries: `getCoreViews(objectMetadataId)`, `getCoreView(id)`, and per child `getCoreView<Child>s(viewId)` and
///   `getCoreView<Child>(id)`.
/// - Mutations: `createCoreView(input)`, `updateCoreView(id, input)`, `deleteCoreView(id)` / `destroyCoreView(id)` →
///   Boolean; for fields, filters and groups `create…(input)`, `update…(input: {id, update})`, `delete…(input: {id})` /
///   `destroy…(input: {id})` → the row; for filter groups and sorts `update…(id, input)` and `delete…(id)` /
///   `destroy…(id)` → Boolean; `createManyCoreViewFields(inputs)` and `createManyCoreViewGroups(inputs)`.
/// The rules are ``ViewStore``'s.
struct ViewsGraphQLModule: MetadataGraphQLModule {
    let store: ViewStore

    /// Twenty's GraphQL enum type for each enumerated column.
    static let enumNames = [
        "type": "ViewType", "key": "ViewKey", "openRecordIn": "ViewOpenRecordIn", "kanbanAggregateOperation": "AggregateOperations",
        "aggregateOperation": "AggregateOperations", "calendarLayout": "ViewCalendarLayout", "visibility": "ViewVisibility",
        "operand": "ViewFilterOperand", "logicalOperator": "ViewFilterGroupLogicalOperator", "direction": "ViewSortDirection",
    ]

    /// Entities whose update takes `(id, input)` and whose delete and destroy take `(id)` and answer a Boolean (the
    /// others take `input: {id, update}` and `input: {id}` and answer the row).
    static let takesIDArgument: Set<String> = ["view", "viewFilterGroup", "viewSort"]

    func rootFields(_ shared: MetadataGraphQLShared) throws -> (queries: GraphQLFieldMap, mutations: GraphQLFieldMap) {
        var enums: [String: GraphQLEnumType] = [:]
        func enumType(_ column: ViewColumn) throws -> GraphQLEnumType? {
            guard case .choice(let values) = column.kind, let name = Self.enumNames[column.name] else { return nil }
            if let known = enums[name] { return known }
            var map: GraphQLEnumValueMap = [:]
            for value in values { map[value] = GraphQLEnumValue(value: .string(value)) }
            let type = try GraphQLEnumType(name: name, values: map)
            enums[name] = type
            return type
        }
        func scalar(_ column: ViewColumn) throws -> any GraphQLInputType & GraphQLOutputType {
            switch column.kind {
            case .uuid: shared.uuid
            case .text: GraphQLString
            case .integer: GraphQLInt
            case .number: GraphQLFloat
            case .boolean: GraphQLBoolean
            case .json: shared.json
            case .choice: try enumType(column) ?? GraphQLString
            }
        }
        // Output types, children first (a view lists them).
        var types: [String: GraphQLObjectType] = [:]
        for entity in ViewEntity.children + [ViewEntity.view] {
            var fields: GraphQLFieldMap = ["id": GraphQLField(type: try GraphQLNonNull(shared.uuid))]
            for column in entity.columns {
                let type = try scalar(column)
                fields[column.name] = GraphQLField(type: column.nullable ? type : try GraphQLNonNull(type))
            }
            fields["workspaceId"] = GraphQLField(type: try GraphQLNonNull(shared.uuid))
            fields["createdAt"] = GraphQLField(type: try GraphQLNonNull(shared.dateTime))
            fields["updatedAt"] = GraphQLField(type: try GraphQLNonNull(shared.dateTime))
            fields["deletedAt"] = GraphQLField(type: shared.dateTime)
            if !entity.isChild {
                fields["isCustom"] = GraphQLField(type: try GraphQLNonNull(GraphQLBoolean))
                fields["createdByUserWorkspaceId"] = GraphQLField(type: shared.uuid)
                for child in ViewEntity.children {
                    fields[child.collection] = GraphQLField(type: try GraphQLNonNull(GraphQLList(try GraphQLNonNull(types[child.table]!))))
                }
            }
            types[entity.table] = try GraphQLObjectType(name: entity.typeName, fields: fields)
        }
        var queries: GraphQLFieldMap = [:]
        var mutations: GraphQLFieldMap = [:]
        let id = GraphQLArgument(type: try GraphQLNonNull(GraphQLString))
        let store = store
        for entity in ViewEntity.all {
            let type = types[entity.table]!
            let short = String(entity.typeName.dropFirst("Core".count))  // View, ViewField, …
            var createFields: InputObjectFieldMap = ["id": InputObjectField(type: shared.uuid)]
            var updateFields: InputObjectFieldMap = [:]
            for column in entity.columns {
                let scalarType = try scalar(column)
                createFields[column.name] = InputObjectField(type: column.required ? try GraphQLNonNull(scalarType) : scalarType)
                if column.updatable { updateFields[column.name] = InputObjectField(type: scalarType) }
            }
            let create = try GraphQLInputObjectType(name: "Create\(short)Input", fields: createFields)
            let takesID = Self.takesIDArgument.contains(entity.table)
            let update: GraphQLInputObjectType
            if takesID {
                update = try GraphQLInputObjectType(name: "Update\(short)Input", fields: updateFields)
            } else {
                let changes = try GraphQLInputObjectType(name: "Update\(short)InputUpdates", fields: updateFields)
                update = try GraphQLInputObjectType(name: "Update\(short)Input", fields: [
                    "id": InputObjectField(type: try GraphQLNonNull(shared.uuid)), "update": InputObjectField(type: try GraphQLNonNull(changes)),
                ])
            }
            let plural = "get\(entity.typeName)s"
            let parentArgument = entity.isChild ? "viewId" : "objectMetadataId"
            queries[plural] = GraphQLField(type: try GraphQLNonNull(GraphQLList(try GraphQLNonNull(type))),
                                           args: [parentArgument: GraphQLArgument(type: GraphQLString)]) { _, args, context, _ in
                let (context, workspace, caller) = try await Self.caller(context)
                let parent = try args[parentArgument].string.map { try RolesGraphQLModule.uuid(.string($0)) }
                let page = try await store.list(entity, parent: parent, workspace: workspace, caller: caller, logger: context.logger)
                return try Self.json(page)["data"]?.array?.map(Self.resolved) ?? []
            }
            queries["get\(entity.typeName)"] = GraphQLField(type: type, args: ["id": id]) { _, args, context, _ in
                let (context, workspace, _) = try await Self.caller(context)
                do {
                    return Self.resolved(try Self.json(try await store.one(entity, id: try RolesGraphQLModule.uuid(args["id"]), workspace: workspace,
                                                                           logger: context.logger)))
                } catch let error as AtriumError where error.code == .notFound {
                    return nil as [String: any Sendable]?
                }
            }
            mutations["create\(entity.typeName)"] = GraphQLField(type: try GraphQLNonNull(type), args: ["input": GraphQLArgument(type: try GraphQLNonNull(create))]) { _, args, context, _ in
                let (context, workspace, caller) = try await Self.caller(context)
                return Self.resolved(try Self.json(try await store.create(entity, input: try Self.input(args["input"]), workspace: workspace,
                                                                          caller: caller, logger: context.logger)))
            }
            if entity == .field || entity == .group {
                mutations["createMany\(entity.typeName)s"] = GraphQLField(
                    type: try GraphQLNonNull(GraphQLList(try GraphQLNonNull(type))),
                    args: ["inputs": GraphQLArgument(type: try GraphQLNonNull(GraphQLList(try GraphQLNonNull(create))))]
                ) { _, args, context, _ in
                    let (context, workspace, caller) = try await Self.caller(context)
                    var created: [[String: any Sendable]] = []
                    for input in args["inputs"].array ?? [] {
                        created.append(Self.resolved(try Self.json(try await store.create(entity, input: try Self.input(input), workspace: workspace,
                                                                                          caller: caller, logger: context.logger))))
                    }
                    return created
                }
            }
            if takesID {
                mutations["update\(entity.typeName)"] = GraphQLField(type: try GraphQLNonNull(type), args: ["id": id, "input": GraphQLArgument(type: try GraphQLNonNull(update))]) { _, args, context, _ in
                    let (context, workspace, caller) = try await Self.caller(context)
                    return Self.resolved(try Self.json(try await store.update(entity, id: try RolesGraphQLModule.uuid(args["id"]), input: try Self.input(args["input"]),
                                                                              workspace: workspace, caller: caller, logger: context.logger)))
                }
                for (name, destroy) in [("delete", false), ("destroy", true)] {
                    mutations["\(name)\(entity.typeName)"] = GraphQLField(type: try GraphQLNonNull(GraphQLBoolean), args: ["id": id]) { _, args, context, _ in
                        let (context, workspace, caller) = try await Self.caller(context)
                        _ = try await store.delete(entity, id: try RolesGraphQLModule.uuid(args["id"]), destroy: destroy, workspace: workspace,
                                                   caller: caller, logger: context.logger)
                        return true
                    }
                }
            } else {
                let target = try GraphQLInputObjectType(name: "Delete\(short)Input", fields: ["id": InputObjectField(type: try GraphQLNonNull(shared.uuid))])
                let destroyTarget = try GraphQLInputObjectType(name: "Destroy\(short)Input", fields: ["id": InputObjectField(type: try GraphQLNonNull(shared.uuid))])
                mutations["update\(entity.typeName)"] = GraphQLField(type: try GraphQLNonNull(type), args: ["input": GraphQLArgument(type: try GraphQLNonNull(update))]) { _, args, context, _ in
                    let (context, workspace, caller) = try await Self.caller(context)
                    return Self.resolved(try Self.json(try await store.update(entity, id: try RolesGraphQLModule.uuid(args["input"]["id"]),
                                                                              input: try Self.input(args["input"]["update"]), workspace: workspace,
                                                                              caller: caller, logger: context.logger)))
                }
                for (name, destroy, input) in [("delete", false, target), ("destroy", true, destroyTarget)] {
                    mutations["\(name)\(entity.typeName)"] = GraphQLField(type: try GraphQLNonNull(type), args: ["input": GraphQLArgument(type: try GraphQLNonNull(input))]) { _, args, context, _ in
                        let (context, workspace, caller) = try await Self.caller(context)
                        return Self.resolved(try Self.json(try await store.delete(entity, id: try RolesGraphQLModule.uuid(args["input"]["id"]), destroy: destroy,
                                                                                  workspace: workspace, caller: caller, logger: context.logger)))
                    }
                }
            }
        }
        return (queries, mutations)
    }

    private static func caller(_ context: any Sendable) async throws -> (MetadataGraphQLContext, UUID, ViewStore.Caller) {
        let context = try MetadataGraphQLContext.of(context)
        let authentication = try context.requireAuthentication()
        let caller = try await context.requirePermissions().viewCaller(authentication, logger: context.logger)
        return (context, authentication.workspaceID, caller)
    }

    /// A GraphQL input object as the store's input.
    private static func input(_ map: Map) throws -> [String: JSONValue] {
        guard case .object(let members) = try MetadataGraphQLShared.json(map) else { throw AtriumError(.validationFailed, "Expected an input object") }
        return members
    }

    private static func json(_ text: ByteBuffer) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.readableBytesView))
    }

    /// A rendered row as resolver fields: children as lists of rows, a filter's `value` as JSON.
    static func resolved(_ json: JSONValue) -> [String: any Sendable] {
        guard case .object(let members) = json else { return [:] }
        var fields: [String: any Sendable] = [:]
        for (key, value) in members {
            switch value {
            case .string(let text): fields[key] = key == "value" ? JSONValue.string(text) : text
            case .number(let number): fields[key] = number.rounded() == number && abs(number) < 1e15 && key != "position" ? Int(number) as any Sendable : number
            case .bool(let flag): fields[key] = flag
            case .array(let items) where key != "value": fields[key] = items.map(resolved)
            case .null: continue
            default: fields[key] = value
            }
        }
        return fields
    }
}
