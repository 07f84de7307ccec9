import AtriumCore
import Foundation
import GraphQL
import Logging
import NIOCore
import OrderedCollections

/// The sidebar on `/metadata`, with Twenty's names: `navigationMenuItems` (the workspace's items and the caller's
/// own), `navigationMenuItem(id)`, `createNavigationMenuItem(input)`, `updateNavigationMenuItem(input: {id, update})`
/// and `deleteNavigationMenuItem(id)` (the item as it was). Any member or key of the workspace may use them, as in
/// Twenty.
struct NavigationGraphQLModule: MetadataGraphQLModule {
    let menu: NavigationMenu

    func rootFields(_ shared: MetadataGraphQLShared) throws -> (queries: GraphQLFieldMap, mutations: GraphQLFieldMap) {
        let entity = ViewEntity.navigationMenuItem
        func type(_ column: ViewColumn) -> any GraphQLInputType & GraphQLOutputType {
            switch column.kind {
            case .uuid: shared.uuid
            case .number: GraphQLFloat
            default: GraphQLString
            }
        }
        var fields: GraphQLFieldMap = ["id": GraphQLField(type: try GraphQLNonNull(shared.uuid))]
        var createFields: InputObjectFieldMap = ["id": InputObjectField(type: shared.uuid)]
        var updateFields: InputObjectFieldMap = [:]
        for column in entity.columns {
            fields[column.name] = GraphQLField(type: column.nullable ? type(column) : try GraphQLNonNull(type(column)))
            createFields[column.name] = InputObjectField(type: type(column))
            if column.updatable { updateFields[column.name] = InputObjectField(type: type(column)) }
        }
        fields["workspaceId"] = GraphQLField(type: try GraphQLNonNull(shared.uuid))
        fields["createdAt"] = GraphQLField(type: try GraphQLNonNull(shared.dateTime))
        fields["updatedAt"] = GraphQLField(type: try GraphQLNonNull(shared.dateTime))
        let item = try GraphQLObjectType(name: "NavigationMenuItem", fields: fields)
        let create = try GraphQLInputObjectType(name: "CreateNavigationMenuItemInput", fields: createFields)
        let changes = try GraphQLInputObjectType(name: "UpdateNavigationMenuItemInputUpdates", fields: updateFields)
        let update = try GraphQLInputObjectType(name: "UpdateNavigationMenuItemInput", fields: [
            "id": InputObjectField(type: try GraphQLNonNull(shared.uuid)), "update": InputObjectField(type: try GraphQLNonNull(changes)),
        ])
        let id = GraphQLArgument(type: try GraphQLNonNull(shared.uuid))
        let menu = menu
        let queries: GraphQLFieldMap = [
            "navigationMenuItems": GraphQLField(type: try GraphQLNonNull(GraphQLList(try GraphQLNonNull(item)))) { _, _, context, _ in
                let (context, workspace, user) = try Self.caller(context)
                return (try Self.json(try await menu.list(workspace: workspace, user: user, logger: context.logger)).array ?? []).map(ViewsGraphQLModule.resolved)
            },
            "navigationMenuItem": GraphQLField(type: item, args: ["id": id]) { _, args, context, _ in
                let (context, workspace, user) = try Self.caller(context)
                do {
                    return ViewsGraphQLModule.resolved(try Self.json(try await menu.one(try RolesGraphQLModule.uuid(args["id"]), workspace: workspace,
                                                                                         user: user, logger: context.logger)))
                } catch let error as AtriumError where error.code == .notFound {
                    return nil as [String: any Sendable]?
                }
            },
        ]
        let mutations: GraphQLFieldMap = [
            "createNavigationMenuItem": GraphQLField(type: try GraphQLNonNull(item), args: ["input": GraphQLArgument(type: try GraphQLNonNull(create))]) { _, args, context, _ in
                let (context, workspace, user) = try Self.caller(context)
                return ViewsGraphQLModule.resolved(try Self.json(try await menu.create(try Self.input(args["input"]), workspace: workspace, user: user,
                                                                                        logger: context.logger)))
            },
            "updateNavigationMenuItem": GraphQLField(type: try GraphQLNonNull(item), args: ["input": GraphQLArgument(type: try GraphQLNonNull(update))]) { _, args, context, _ in
                let (context, workspace, user) = try Self.caller(context)
                return ViewsGraphQLModule.resolved(try Self.json(try await menu.update(try RolesGraphQLModule.uuid(args["input"]["id"]),
                                                                                        try Self.input(args["input"]["update"]), workspace: workspace,
                                                                                        user: user, logger: context.logger)))
            },
            "deleteNavigationMenuItem": GraphQLField(type: try GraphQLNonNull(item), args: ["id": id]) { _, args, context, _ in
                let (context, workspace, user) = try Self.caller(context)
                return ViewsGraphQLModule.resolved(try Self.json(try await menu.delete(try RolesGraphQLModule.uuid(args["id"]), workspace: workspace,
                                                                                        user: user, logger: context.logger)))
            },
        ]
        return (queries, mutations)
    }

    private static func caller(_ context: any Sendable) throws -> (MetadataGraphQLContext, UUID, UUID?) {
        let context = try MetadataGraphQLContext.of(context)
        let authentication = try context.requireAuthentication()
        let user: UUID? = if case .member(let userID, _, _) = authentication.identity { userID } else { nil }
        return (context, authentication.workspaceID, user)
    }

    private static func input(_ map: Map) throws -> [String: JSONValue] {
        guard case .object(let members) = try MetadataGraphQLShared.json(map) else { throw AtriumError(.validationFailed, "Expected an input object") }
        return members
    }

    private static func json(_ text: ByteBuffer) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.readableBytesView))
    }
}
