import AtriumCore
import Foundation
import GraphQL
import NIOCore
import OrderedCollections

/// Twenty's global `search` query (§5.3): `search(searchInput, limit, filter, includedObjectNameSingulars,
/// excludedObjectNameSingulars, after): SearchResultConnection`, over every searchable object of the workspace.
///
/// The engine renders the whole page in one statement; results are small (≤ 200), so the client's selection is then
/// applied by GraphQLSwift as for any value.
enum GraphQLSearchField {
    static let record = try! GraphQLObjectType(name: "SearchRecord", fields: [
        "recordId": GraphQLField(type: GraphQLNonNull(GraphQLScalars.uuid)),
        "objectNameSingular": GraphQLField(type: GraphQLNonNull(GraphQLString)),
        "objectLabelSingular": GraphQLField(type: GraphQLNonNull(GraphQLString)),
        "label": GraphQLField(type: GraphQLString),
        "imageUrl": GraphQLField(type: GraphQLString),
        "tsRankCD": GraphQLField(type: GraphQLNonNull(GraphQLFloat)),
        "tsRank": GraphQLField(type: GraphQLNonNull(GraphQLFloat)),
    ])
    static let edge = try! GraphQLObjectType(name: "SearchResultEdge", fields: [
        "node": GraphQLField(type: GraphQLNonNull(record)),
        "cursor": GraphQLField(type: GraphQLNonNull(GraphQLString)),
    ])
    static let pageInfo = try! GraphQLObjectType(name: "SearchResultPageInfo", fields: [
        "endCursor": GraphQLField(type: GraphQLString),
        "hasNextPage": GraphQLField(type: GraphQLNonNull(GraphQLBoolean)),
    ])
    static let connection = try! GraphQLObjectType(name: "SearchResultConnection", fields: [
        "edges": GraphQLField(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(edge)))),
        "pageInfo": GraphQLField(type: GraphQLNonNull(pageInfo)),
    ])
    /// The fields every object has, for `search(filter:)`.
    static let filter: GraphQLInputObjectType = try! GraphQLInputObjectType(name: "ObjectRecordFilterInput", fields: {
        [
            "and": InputObjectField(type: GraphQLList(GraphQLNonNull(GraphQLSearchField.filter))),
            "or": InputObjectField(type: GraphQLList(GraphQLNonNull(GraphQLSearchField.filter))),
            "not": InputObjectField(type: GraphQLSearchField.filter),
            "id": InputObjectField(type: GraphQLScalars.uuidFilter),
            "createdAt": InputObjectField(type: GraphQLScalars.dateTimeFilter),
            "updatedAt": InputObjectField(type: GraphQLScalars.dateTimeFilter),
            "deletedAt": InputObjectField(type: GraphQLScalars.dateTimeFilter),
        ]
    })

    /// The root field.
    static var field: GraphQLField {
        GraphQLField(type: GraphQLNonNull(connection), args: [
            "searchInput": GraphQLArgument(type: GraphQLNonNull(GraphQLString)),
            "limit": GraphQLArgument(type: GraphQLNonNull(GraphQLInt)),
            "filter": GraphQLArgument(type: filter),
            "includedObjectNameSingulars": GraphQLArgument(type: GraphQLList(GraphQLNonNull(GraphQLString))),
            "excludedObjectNameSingulars": GraphQLArgument(type: GraphQLList(GraphQLNonNull(GraphQLString))),
            "after": GraphQLArgument(type: GraphQLString),
        ], resolve: { _, args, context, _ in
            guard let state = context as? GraphQLRequestState else { throw AtriumError(.internalError, "GraphQL context missing") }
            let arguments = args.dictionary ?? [:]
            var query = RecordService.SearchQuery(text: arguments["searchInput"]?.string ?? "", limit: try GraphQLInputs.int(arguments["limit"], "limit") ?? 0)
            if let filter = arguments["filter"], !filter.isNull, !filter.isUndefined {
                // Checked against the first searchable object; the fields are common to all of them.
                guard let object = state.workspace.objects.first(where: { $0.field(named: "searchVector") != nil }) else {
                    throw AtriumError(.badRequest, "No object is searchable")
                }
                query.filter = try GraphQLInputs.filter(filter, object: object)
            }
            query.included = arguments["includedObjectNameSingulars"]?.array?.compactMap(\.string)
            query.excluded = arguments["excludedObjectNameSingulars"]?.array?.compactMap(\.string) ?? []
            query.after = arguments["after"].flatMap(GraphQLInputs.string)
            let text = try await state.runRootField {
                try await state.records.search(query, in: state.workspace, access: state.access, logger: state.logger)
            }
            return sendable(try JSONDecoder().decode(JSONValue.self, from: Data(text.readableBytesView)))
        })
    }

    /// JSON as the dictionaries and arrays GraphQLSwift's default resolvers read.
    private static func sendable(_ value: JSONValue) -> any Sendable {
        switch value {
        case .object(let entries): entries.mapValues { sendable($0) } as [String: any Sendable]
        case .array(let items): items.map { sendable($0) }
        case .string(let text): text
        case .number(let number): number
        case .bool(let flag): flag
        case .null: Optional<String>.none as any Sendable
        }
    }
}
