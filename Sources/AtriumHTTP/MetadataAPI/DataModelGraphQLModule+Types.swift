import AtriumCore
import Foundation
import GraphQL
import OrderedCollections

extension DataModelGraphQLModule {
    /// `FieldMetadataType`, every ``FieldType``.
    static var fieldMetadataType: GraphQLEnumType {
        get throws {
            var values = GraphQLEnumValueMap()
            for type in FieldType.allCases { values[type.rawValue] = GraphQLEnumValue(value: .string(type.rawValue)) }
            return try GraphQLEnumType(name: "FieldMetadataType", values: values)
        }
    }

    /// `Object`, `Field` and `Relation`.
    static func types(_ shared: MetadataGraphQLShared) throws -> Types {
        let types = Types()
        let string = GraphQLString
        let boolean = GraphQLBoolean
        let fieldType = try fieldMetadataType
        types.fieldType = fieldType
        let relationType = try GraphQLEnumType(name: "RelationType", values: [
            "MANY_TO_ONE": GraphQLEnumValue(value: .string("MANY_TO_ONE")), "ONE_TO_MANY": GraphQLEnumValue(value: .string("ONE_TO_MANY")),
        ])
        let relation = try GraphQLObjectType(name: "Relation", fields: {
            [
                "type": GraphQLField(type: GraphQLNonNull(relationType)) { source, _, _, _ in (source as? RelationRecord)?.type.rawValue },
                "sourceObjectMetadata": GraphQLField(type: GraphQLNonNull(types.object)),
                "targetObjectMetadata": GraphQLField(type: GraphQLNonNull(types.object)),
                "sourceFieldMetadata": GraphQLField(type: GraphQLNonNull(types.field)),
                "targetFieldMetadata": GraphQLField(type: GraphQLNonNull(types.field)),
            ]
        })
        let fieldFilter = try filter("FieldFilter", flags: ["isCustom", "isActive", "isSystem", "isUIReadOnly"], shared)
        types.fieldFilter = fieldFilter
        types.field = try GraphQLObjectType(name: "Field", fields: {
            [
                "id": GraphQLField(type: GraphQLNonNull(shared.uuid)),
                "type": GraphQLField(type: GraphQLNonNull(fieldType)),
                "name": GraphQLField(type: GraphQLNonNull(string)),
                "label": GraphQLField(type: GraphQLNonNull(string)),
                "description": GraphQLField(type: string),
                "icon": GraphQLField(type: string),
                "isCustom": GraphQLField(type: boolean),
                "isActive": GraphQLField(type: boolean),
                "isSystem": GraphQLField(type: boolean),
                "isUIReadOnly": GraphQLField(type: boolean),
                "isNullable": GraphQLField(type: boolean),
                "isUnique": GraphQLField(type: boolean),
                "isLabelSyncedWithName": GraphQLField(type: boolean),
                "defaultValue": GraphQLField(type: shared.json),
                "options": GraphQLField(type: shared.json),
                "settings": GraphQLField(type: shared.json),
                "objectMetadataId": GraphQLField(type: GraphQLNonNull(shared.uuid)),
                "morphId": GraphQLField(type: shared.uuid),
                "createdAt": GraphQLField(type: GraphQLNonNull(shared.dateTime)),
                "updatedAt": GraphQLField(type: GraphQLNonNull(shared.dateTime)),
                "relation": GraphQLField(type: relation) { source, _, context, _ in
                    guard let field = source as? FieldMetadataRecord else { return nil }
                    return try await MetadataGraphQLContext.of(context).catalog().relation(of: field)
                },
                "object": GraphQLField(type: types.object) { source, _, context, _ in
                    guard let field = source as? FieldMetadataRecord else { return nil }
                    return try await MetadataGraphQLContext.of(context).catalog().object(id: field.objectMetadataId)
                },
            ]
        })
        let objectFields = try connection("ObjectFieldsConnection", edge: "ObjectFieldsEdge", node: types.field, shared)
        types.object = try GraphQLObjectType(name: "Object", fields: {
            [
                "id": GraphQLField(type: GraphQLNonNull(shared.uuid)),
                "dataSourceId": GraphQLField(type: string),
                "nameSingular": GraphQLField(type: GraphQLNonNull(string)),
                "namePlural": GraphQLField(type: GraphQLNonNull(string)),
                "labelSingular": GraphQLField(type: GraphQLNonNull(string)),
                "labelPlural": GraphQLField(type: GraphQLNonNull(string)),
                "description": GraphQLField(type: string),
                "icon": GraphQLField(type: string),
                "shortcut": GraphQLField(type: string),
                "isCustom": GraphQLField(type: GraphQLNonNull(boolean)),
                "isRemote": GraphQLField(type: GraphQLNonNull(boolean)),
                "isActive": GraphQLField(type: GraphQLNonNull(boolean)),
                "isSystem": GraphQLField(type: GraphQLNonNull(boolean)),
                "isUIReadOnly": GraphQLField(type: GraphQLNonNull(boolean)),
                "isSearchable": GraphQLField(type: GraphQLNonNull(boolean)),
                "isLabelSyncedWithName": GraphQLField(type: GraphQLNonNull(boolean)),
                "labelIdentifierFieldMetadataId": GraphQLField(type: shared.uuid),
                "imageIdentifierFieldMetadataId": GraphQLField(type: shared.uuid),
                "duplicateCriteria": GraphQLField(type: GraphQLList(GraphQLNonNull(GraphQLList(GraphQLNonNull(string))))),
                "createdAt": GraphQLField(type: GraphQLNonNull(shared.dateTime)),
                "updatedAt": GraphQLField(type: GraphQLNonNull(shared.dateTime)),
                "fieldsList": GraphQLField(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(types.field)))) { source, _, context, _ in
                    guard let object = source as? ObjectMetadataRecord else { return nil }
                    return try await MetadataGraphQLContext.of(context).catalog().fields(of: object.id)
                },
                "fields": GraphQLField(type: GraphQLNonNull(objectFields), args: [
                    "paging": GraphQLArgument(type: shared.cursorPaging), "filter": GraphQLArgument(type: fieldFilter),
                ]) { source, args, context, _ in
                    guard let object = source as? ObjectMetadataRecord else { return nil }
                    let fields = try await MetadataGraphQLContext.of(context).catalog().fields(of: object.id)
                    return try connection(fields.filter { try matches(args["filter"], id: $0.id, flags: flags($0)) }, id: \.id, paging: args["paging"])
                },
            ]
        })
        return types
    }

    /// A nestjs-query style filter input: `and`, `or`, `id` (UUIDFilterComparison) and boolean flags.
    static func filter(_ name: String, flags: [String], _ shared: MetadataGraphQLShared) throws -> GraphQLInputObjectType {
        var type: GraphQLInputObjectType!
        type = try GraphQLInputObjectType(name: name, fields: {
            var fields: InputObjectFieldMap = [
                "and": InputObjectField(type: GraphQLList(GraphQLNonNull(type))),
                "or": InputObjectField(type: GraphQLList(GraphQLNonNull(type))),
                "id": InputObjectField(type: shared.uuidComparison),
            ]
            for flag in flags { fields[flag] = InputObjectField(type: shared.booleanComparison) }
            return fields
        })
        return type
    }

    /// `<name> { edges: [<edge> { node, cursor }], pageInfo, totalCount }`.
    static func connection(_ name: String, edge: String, node: GraphQLObjectType, _ shared: MetadataGraphQLShared) throws -> GraphQLObjectType {
        let edgeType = try GraphQLObjectType(name: edge, fields: [
            "node": GraphQLField(type: GraphQLNonNull(node)),
            "cursor": GraphQLField(type: GraphQLNonNull(shared.cursor)),
        ])
        return try GraphQLObjectType(name: name, fields: [
            "edges": GraphQLField(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(edgeType)))),
            "pageInfo": GraphQLField(type: GraphQLNonNull(shared.pageInfo)),
            "totalCount": GraphQLField(type: GraphQLNonNull(GraphQLInt)),
        ])
    }

    // MARK: - Resolving

    static func flags(_ object: ObjectMetadataRecord) -> [String: Bool] {
        ["isCustom": object.isCustom, "isRemote": object.isRemote, "isActive": object.isActive, "isSystem": object.isSystem,
         "isUIReadOnly": object.isUIReadOnly, "isSearchable": object.isSearchable]
    }

    static func flags(_ field: FieldMetadataRecord) -> [String: Bool] {
        ["isCustom": field.isCustom, "isActive": field.isActive, "isSystem": field.isSystem, "isUIReadOnly": field.isUIReadOnly]
    }

    /// Whether a record passes a filter argument.
    static func matches(_ filter: Map, id: UUID, flags: [String: Bool]) throws -> Bool {
        guard let filter = filter.dictionary else { return true }
        for (key, condition) in filter where !condition.isUndefined && !condition.isNull {
            switch key {
            case "and":
                for item in condition.array ?? [] where try !matches(item, id: id, flags: flags) { return false }
            case "or":
                let items = condition.array ?? []
                if !items.isEmpty, try !items.contains(where: { try matches($0, id: id, flags: flags) }) { return false }
            case "id":
                let text = id.lowercased
                if let eq = condition["eq"].string, eq.lowercased() != text { return false }
                if let neq = condition["neq"].string, neq.lowercased() == text { return false }
                if let list = condition["in"].array, !list.contains(where: { $0.string?.lowercased() == text }) { return false }
                if let list = condition["notIn"].array, list.contains(where: { $0.string?.lowercased() == text }) { return false }
            default:
                guard let value = flags[key] else { continue }
                if let expected = condition["is"].bool, value != expected { return false }
                if let excluded = condition["isNot"].bool, value == excluded { return false }
            }
        }
        return true
    }

    /// A connection value for `items` (ordered by id) and a `CursorPaging` argument.
    static func connection<Item: Sendable>(_ items: [Item], id: (Item) -> UUID, paging: Map) throws -> [String: any Sendable] {
        let page = try MetadataCatalog.page(items, id: id, first: try GraphQLInputs.int(paging["first"], "first"), after: paging["after"].string,
                                            last: try GraphQLInputs.int(paging["last"], "last"), before: paging["before"].string)
        let edges: [[String: any Sendable]] = page.items.map { ["node": $0.item, "cursor": $0.cursor] }
        let pageInfo: [String: any Sendable] = [
            "hasNextPage": page.hasNextPage, "hasPreviousPage": page.hasPreviousPage,
            "startCursor": page.startCursor as (any Sendable)?, "endCursor": page.endCursor as (any Sendable)?,
        ]
        return ["edges": edges, "pageInfo": pageInfo, "totalCount": page.totalCount]
    }

    static func uuid(_ value: Map) throws -> UUID {
        guard let text = value.string, let id = UUID(text: text) else { throw AtriumError(.badRequest, "Invalid UUID \(value)") }
        return id
    }

    /// An input object argument as JSON.
    static func input(_ value: Map) throws -> [String: JSONValue] {
        guard case .object(let object) = try MetadataGraphQLShared.json(value) else { throw AtriumError(.badRequest, "Expected an input object") }
        return object
    }
}
