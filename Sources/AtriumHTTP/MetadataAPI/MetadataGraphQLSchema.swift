import AtriumCore
import Foundation
import GraphQL
import OrderedCollections

/// A part of the `/metadata` GraphQL schema: its root query and mutation fields. The data model (objects, fields)
/// is one module; later ones (authentication, roles, API keys) add their own files and are listed in
/// ``MetadataGraphQLSchema/make(modules:)``.
protocol MetadataGraphQLModule: Sendable {
    /// The module's root fields, built once per schema.
    func rootFields(_ shared: MetadataGraphQLShared) throws -> (queries: GraphQLFieldMap, mutations: GraphQLFieldMap)
}

/// Types every module may use, with Twenty's names: scalars `UUID`, `DateTime`, `JSON`, `ConnectionCursor`, the
/// `PageInfo` of cursor connections and the `CursorPaging` input.
struct MetadataGraphQLShared {
    let uuid: GraphQLScalarType
    let dateTime: GraphQLScalarType
    let json: GraphQLScalarType
    let cursor: GraphQLScalarType
    let pageInfo: GraphQLObjectType
    let cursorPaging: GraphQLInputObjectType
    let uuidComparison: GraphQLInputObjectType
    let booleanComparison: GraphQLInputObjectType
    /// `WorkspaceMember {id, name: FullName {firstName, lastName}, userEmail}` (current user, roles' members).
    let workspaceMember: GraphQLObjectType

    init() throws {
        uuid = try GraphQLScalarType(name: "UUID", description: "A UUID", serialize: { value in
            if let id = value as? UUID { return .string(id.lowercased) }
            if let text = value as? String { return .string(text) }
            throw GraphQLError(message: "UUID cannot represent \(value)")
        })
        dateTime = try GraphQLScalarType(name: "DateTime", description: "A date-time string at UTC, such as 2026-11-28T10:00:00.000Z",
                                         serialize: { value in
            if let text = value as? String { return .string(text) }
            throw GraphQLError(message: "DateTime cannot represent \(value)")
        })
        json = try GraphQLScalarType(name: "JSON", description: "Any JSON value", serialize: { value in
            if let json = value as? JSONValue { return try MetadataGraphQLShared.map(json) }
            return try GraphQL.map(from: value)
        }, parseLiteral: { literal in try MetadataGraphQLShared.literal(literal) })
        cursor = try GraphQLScalarType(name: "ConnectionCursor", description: "Cursor for paging through collections")
        pageInfo = try GraphQLObjectType(name: "PageInfo", fields: [
            "hasNextPage": GraphQLField(type: GraphQLBoolean),
            "hasPreviousPage": GraphQLField(type: GraphQLBoolean),
            "startCursor": GraphQLField(type: cursor),
            "endCursor": GraphQLField(type: cursor),
        ])
        cursorPaging = try GraphQLInputObjectType(name: "CursorPaging", fields: [
            "before": InputObjectField(type: cursor), "after": InputObjectField(type: cursor),
            "first": InputObjectField(type: GraphQLInt), "last": InputObjectField(type: GraphQLInt),
        ])
        uuidComparison = try GraphQLInputObjectType(name: "UUIDFilterComparison", fields: [
            "is": InputObjectField(type: GraphQLBoolean), "isNot": InputObjectField(type: GraphQLBoolean),
            "eq": InputObjectField(type: uuid), "neq": InputObjectField(type: uuid),
            "in": InputObjectField(type: GraphQLList(GraphQLNonNull(uuid))), "notIn": InputObjectField(type: GraphQLList(GraphQLNonNull(uuid))),
        ])
        booleanComparison = try GraphQLInputObjectType(name: "BooleanFieldComparison", fields: [
            "is": InputObjectField(type: GraphQLBoolean), "isNot": InputObjectField(type: GraphQLBoolean),
        ])
        let text = try GraphQLNonNull(GraphQLString)
        let fullName = try GraphQLObjectType(name: "FullName", fields: ["firstName": GraphQLField(type: text), "lastName": GraphQLField(type: text)])
        workspaceMember = try GraphQLObjectType(name: "WorkspaceMember", fields: [
            "id": GraphQLField(type: try GraphQLNonNull(uuid)), "name": GraphQLField(type: try GraphQLNonNull(fullName)), "userEmail": GraphQLField(type: text),
        ])
    }

    /// A JSON value as a GraphQL result value.
    static func map(_ value: JSONValue) throws -> Map {
        try JSONDecoder().decode(Map.self, from: JSONEncoder().encode(value))
    }

    /// A GraphQL argument value (already coerced) as JSON.
    static func json(_ map: Map) throws -> JSONValue {
        if map == .undefined { return .null }
        return try JSONDecoder().decode(JSONValue.self, from: GraphQLJSONEncoder().encode(map))
    }

    /// A JSON literal written inline in a query (`options: [{value: "A", label: "A"}]`).
    static func literal(_ value: any Value) throws -> Map {
        switch value {
        case let value as StringValue: return .string(value.value)
        case let value as IntValue: return try number(value.value, value)
        case let value as FloatValue: return try number(value.value, value)
        case let value as BooleanValue: return .bool(value.value)
        case is NullValue: return .null
        case let value as EnumValue: return .string(value.value)
        case let value as ListValue: return .array(try value.values.map(literal))
        case let value as ObjectValue:
            var dictionary = OrderedDictionary<String, Map>()
            for field in value.fields { dictionary[field.name.value] = try literal(field.value) }
            return .dictionary(dictionary)
        default: throw GraphQLError(message: "JSON cannot represent a variable inside a literal; pass the whole value as a variable")
        }
    }

    /// A number literal as JSON reads it (a double, as JSON.parse does): `99999999999999999999999` is 1e23; one beyond
    /// a double's range (`1e400`) is refused, since JSON has no infinity.
    private static func number(_ text: String, _ node: any Value) throws -> Map {
        if let whole = Int(text) { return .number(Number(whole)) }
        guard let number = Double(text), number.isFinite else {
            throw GraphQLError(message: "JSON cannot represent the number \(text): it is beyond a double's range", nodes: [node])
        }
        return .number(Number(number))
    }
}

/// Builds the `/metadata` schema from its modules.
enum MetadataGraphQLSchema {
    static func make(modules: [any MetadataGraphQLModule] = [DataModelGraphQLModule()]) throws -> GraphQLSchema {
        let shared = try MetadataGraphQLShared()
        var queries = GraphQLFieldMap()
        var mutations = GraphQLFieldMap()
        for module in modules {
            let fields = try module.rootFields(shared)
            for (name, field) in fields.queries { queries[name] = field }
            for (name, field) in fields.mutations { mutations[name] = field }
        }
        return try GraphQLSchema(
            query: GraphQLObjectType(name: "Query", fields: queries),
            mutation: mutations.isEmpty ? nil : GraphQLObjectType(name: "Mutation", fields: mutations)
        )
    }
}
