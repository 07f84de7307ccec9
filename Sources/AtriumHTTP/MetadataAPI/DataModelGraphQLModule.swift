import AtriumCore
import Foundation
import GraphQL
import OrderedCollections

/// The data-model part of `/metadata`, with Twenty's names: queries `objects`, `object`, `fields`, `field`; mutations
/// `createOneObject`, `updateOneObject`, `deleteOneObject`, `createOneField`, `updateOneField`, `deleteOneField`;
/// types `Object`, `Field`, `Relation`, `ObjectConnection`, `FieldConnection`, `ObjectFilter`, `FieldFilter`,
/// `CreateObjectInput`, `UpdateObjectPayload`, `CreateFieldInput`, `UpdateFieldInput` and the `CreateOne…`/`UpdateOne…`/
/// `DeleteOne…` wrappers.
struct DataModelGraphQLModule: MetadataGraphQLModule {
    /// Object and field types refer to each other; they are built lazily through this box.
    final class Types {
        var object: GraphQLObjectType!
        var field: GraphQLObjectType!
        var fieldType: GraphQLEnumType!
        var fieldFilter: GraphQLInputObjectType!
    }

    func rootFields(_ shared: MetadataGraphQLShared) throws -> (queries: GraphQLFieldMap, mutations: GraphQLFieldMap) {
        let types = try Self.types(shared)
        return (try queries(shared, types: types), try mutations(shared, types: types))
    }

    private func queries(_ shared: MetadataGraphQLShared, types: Types) throws -> GraphQLFieldMap {
        let objectFilter = try Self.filter("ObjectFilter", flags: ["isCustom", "isRemote", "isActive", "isSystem", "isUIReadOnly", "isSearchable"], shared)
        let fieldFilter: GraphQLInputObjectType = types.fieldFilter
        let objectConnection = try Self.connection("ObjectConnection", edge: "ObjectEdge", node: types.object, shared)
        let fieldConnection = try Self.connection("FieldConnection", edge: "FieldEdge", node: types.field, shared)
        return [
            "objects": GraphQLField(type: GraphQLNonNull(objectConnection), args: [
                "paging": GraphQLArgument(type: shared.cursorPaging), "filter": GraphQLArgument(type: objectFilter),
            ]) { _, args, context, _ in
                let catalog = try await MetadataGraphQLContext.of(context).catalog()
                let items = try catalog.objects.filter { try Self.matches(args["filter"], id: $0.id, flags: Self.flags($0)) }
                return try Self.connection(items, id: \.id, paging: args["paging"])
            },
            "object": GraphQLField(type: GraphQLNonNull(types.object), args: ["id": GraphQLArgument(type: GraphQLNonNull(shared.uuid))]) { _, args, context, _ in
                let id = try Self.uuid(args["id"])
                guard let object = try await MetadataGraphQLContext.of(context).catalog().object(id: id) else {
                    throw AtriumError(.notFound, "Object metadata \(id) not found")
                }
                return object
            },
            "fields": GraphQLField(type: GraphQLNonNull(fieldConnection), args: [
                "paging": GraphQLArgument(type: shared.cursorPaging), "filter": GraphQLArgument(type: fieldFilter),
            ]) { _, args, context, _ in
                let catalog = try await MetadataGraphQLContext.of(context).catalog()
                let items = try catalog.fields.filter { try Self.matches(args["filter"], id: $0.id, flags: Self.flags($0)) }
                return try Self.connection(items, id: \.id, paging: args["paging"])
            },
            "field": GraphQLField(type: GraphQLNonNull(types.field), args: ["id": GraphQLArgument(type: GraphQLNonNull(shared.uuid))]) { _, args, context, _ in
                let id = try Self.uuid(args["id"])
                guard let field = try await MetadataGraphQLContext.of(context).catalog().field(id: id) else {
                    throw AtriumError(.notFound, "Field metadata \(id) not found")
                }
                return field
            },
        ]
    }

    private func mutations(_ shared: MetadataGraphQLShared, types: Types) throws -> GraphQLFieldMap {
        let string = GraphQLString
        let boolean = GraphQLBoolean
        let createObject = try GraphQLInputObjectType(name: "CreateObjectInput", fields: [
            "nameSingular": InputObjectField(type: GraphQLNonNull(string)), "namePlural": InputObjectField(type: GraphQLNonNull(string)),
            "labelSingular": InputObjectField(type: GraphQLNonNull(string)), "labelPlural": InputObjectField(type: GraphQLNonNull(string)),
            "description": InputObjectField(type: string), "icon": InputObjectField(type: string), "shortcut": InputObjectField(type: string),
            "isRemote": InputObjectField(type: boolean), "isLabelSyncedWithName": InputObjectField(type: boolean),
            "primaryKeyColumnType": InputObjectField(type: string), "primaryKeyFieldMetadataSettings": InputObjectField(type: shared.json),
            "dataSourceId": InputObjectField(type: string),
        ])
        let updateObject = try GraphQLInputObjectType(name: "UpdateObjectPayload", fields: [
            "nameSingular": InputObjectField(type: string), "namePlural": InputObjectField(type: string),
            "labelSingular": InputObjectField(type: string), "labelPlural": InputObjectField(type: string),
            "description": InputObjectField(type: string), "icon": InputObjectField(type: string), "shortcut": InputObjectField(type: string),
            "isActive": InputObjectField(type: boolean), "isLabelSyncedWithName": InputObjectField(type: boolean),
            "labelIdentifierFieldMetadataId": InputObjectField(type: shared.uuid), "imageIdentifierFieldMetadataId": InputObjectField(type: shared.uuid),
        ])
        let fieldInputs: InputObjectFieldMap = [
            "name": InputObjectField(type: string), "label": InputObjectField(type: string),
            "description": InputObjectField(type: string), "icon": InputObjectField(type: string),
            "isActive": InputObjectField(type: boolean), "isSystem": InputObjectField(type: boolean),
            "isNullable": InputObjectField(type: boolean), "isUnique": InputObjectField(type: boolean),
            "isLabelSyncedWithName": InputObjectField(type: boolean), "isUIReadOnly": InputObjectField(type: boolean),
            "defaultValue": InputObjectField(type: shared.json), "options": InputObjectField(type: shared.json),
            "settings": InputObjectField(type: shared.json),
        ]
        var createFieldInputs = fieldInputs
        createFieldInputs["name"] = InputObjectField(type: GraphQLNonNull(string))
        createFieldInputs["label"] = InputObjectField(type: GraphQLNonNull(string))
        createFieldInputs["type"] = InputObjectField(type: GraphQLNonNull(types.fieldType))
        createFieldInputs["objectMetadataId"] = InputObjectField(type: GraphQLNonNull(shared.uuid))
        createFieldInputs["isCustom"] = InputObjectField(type: boolean)
        createFieldInputs["isRemoteCreation"] = InputObjectField(type: boolean)
        createFieldInputs["relationCreationPayload"] = InputObjectField(type: shared.json)
        createFieldInputs["morphRelationsCreationPayload"] = InputObjectField(type: GraphQLList(GraphQLNonNull(shared.json)))
        let createField = try GraphQLInputObjectType(name: "CreateFieldInput", fields: createFieldInputs)
        let updateField = try GraphQLInputObjectType(name: "UpdateFieldInput", fields: fieldInputs)
        func wrapper(_ name: String, _ fields: InputObjectFieldMap) throws -> GraphQLNonNull {
            GraphQLNonNull(try GraphQLInputObjectType(name: name, fields: fields))
        }
        let id = InputObjectField(type: GraphQLNonNull(shared.uuid))
        return [
            "createOneObject": GraphQLField(type: GraphQLNonNull(types.object), args: [
                "input": GraphQLArgument(type: try wrapper("CreateOneObjectInput", ["object": InputObjectField(type: GraphQLNonNull(createObject))])),
            ]) { _, args, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                try await context.require(.dataModel)
                let (object, catalog) = try await context.api.createObject(try Self.input(args["input", "object"]), workspace: context.workspace, logger: context.logger)
                context.keep(catalog)
                return object
            },
            "updateOneObject": GraphQLField(type: GraphQLNonNull(types.object), args: [
                "input": GraphQLArgument(type: try wrapper("UpdateOneObjectInput", ["id": id, "update": InputObjectField(type: GraphQLNonNull(updateObject))])),
            ]) { _, args, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                try await context.require(.dataModel)
                let (object, catalog) = try await context.api.updateObject(
                    try Self.uuid(args["input", "id"]), try Self.input(args["input", "update"]), workspace: context.workspace, logger: context.logger)
                context.keep(catalog)
                return object
            },
            "deleteOneObject": GraphQLField(type: GraphQLNonNull(types.object), args: [
                "input": GraphQLArgument(type: try wrapper("DeleteOneObjectInput", ["id": id])),
            ]) { _, args, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                try await context.require(.dataModel)
                let (object, catalog) = try await context.api.deleteObject(try Self.uuid(args["input", "id"]), workspace: context.workspace, logger: context.logger)
                context.keep(catalog)
                return object
            },
            "createOneField": GraphQLField(type: GraphQLNonNull(types.field), args: [
                "input": GraphQLArgument(type: try wrapper("CreateOneFieldMetadataInput", ["field": InputObjectField(type: GraphQLNonNull(createField))])),
            ]) { _, args, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                try await context.require(.dataModel)
                let (field, catalog) = try await context.api.createField(try Self.input(args["input", "field"]), workspace: context.workspace, logger: context.logger)
                context.keep(catalog)
                return field
            },
            "updateOneField": GraphQLField(type: GraphQLNonNull(types.field), args: [
                "input": GraphQLArgument(type: try wrapper("UpdateOneFieldMetadataInput", ["id": id, "update": InputObjectField(type: GraphQLNonNull(updateField))])),
            ]) { _, args, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                try await context.require(.dataModel)
                let (field, catalog) = try await context.api.updateField(
                    try Self.uuid(args["input", "id"]), try Self.input(args["input", "update"]), workspace: context.workspace, logger: context.logger)
                context.keep(catalog)
                return field
            },
            "deleteOneField": GraphQLField(type: GraphQLNonNull(types.field), args: [
                "input": GraphQLArgument(type: try wrapper("DeleteOneFieldInput", ["id": id])),
            ]) { _, args, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                try await context.require(.dataModel)
                let (field, catalog) = try await context.api.deleteField(try Self.uuid(args["input", "id"]), workspace: context.workspace, logger: context.logger)
                context.keep(catalog)
                return field
            },
        ]
    }
}
