import AtriumCore

/// The OpenAPI 3.1 document of the REST metadata API (`/rest/metadata`): objects, fields and API keys, with the bodies
/// and envelopes `MetadataRESTController` and `APIKeysRESTController` answer with. It is the same for every
/// workspace, so it is public, as Twenty's `/open-api/metadata` is.
enum OpenAPIMetadataDocument {
    static func document(serverURL: String) -> JSONValue {
        OpenAPIDocument.frame(
            title: "Atrium metadata REST API",
            description: "The data model of a workspace (objects and fields) and its API keys, Twenty-compatible.",
            server: serverURL.trimmingTrailingSlash + "/rest/metadata", paths: paths, schemas: schemas, parameters: parameters
        )
    }

    // MARK: - Paths

    private static var paths: [String: JSONValue] {
        var paths: [String: JSONValue] = [:]
        for (plural, singular, type) in [("objects", "object", "Object"), ("fields", "field", "Field")] {
            let tag = type + "s"
            let record = OpenAPIOperation.schema(type + "ForResponse")
            paths["/\(plural)"] = [
                "get": OpenAPIOperation.make("findMany\(type)s", "Find Many \(plural)", tag: tag, parameters: ["limit", "startingAfter", "endingBefore"],
                                             response: OpenAPIOperation.envelope(plural, ["type": "array", "items": record], extra: OpenAPIOperation.page)),
                "post": OpenAPIOperation.make("createOne\(type)", "Create One \(singular)", tag: tag, parameters: [],
                                              body: OpenAPIOperation.schema(type), status: "201",
                                              response: OpenAPIOperation.envelope("createOne\(type)", record)),
            ]
            paths["/\(plural)/{id}"] = [
                "get": OpenAPIOperation.make("findOne\(type)", "Find One \(singular)", tag: tag, parameters: ["idPath"],
                                             response: OpenAPIOperation.envelope(singular, record)),
                "patch": OpenAPIOperation.make("updateOne\(type)", "Update One \(singular)", tag: tag, parameters: ["idPath"],
                                               body: OpenAPIOperation.schema(type + "ForUpdate"),
                                               response: OpenAPIOperation.envelope("updateOne\(type)", record)),
                "delete": OpenAPIOperation.make("deleteOne\(type)", "Delete One \(singular)", tag: tag, parameters: ["idPath"],
                                                response: OpenAPIOperation.envelope("deleteOne\(type)", OpenAPIOperation.schema("DeletedRecord"))),
            ]
        }
        let key = OpenAPIOperation.schema("ApiKeyForResponse")
        paths["/apiKeys"] = [
            "get": OpenAPIOperation.make("findManyApiKeys", "Find Many apiKeys", tag: "ApiKeys", parameters: [],
                                         response: OpenAPIOperation.envelope("apiKeys", ["type": "array", "items": key], extra: ["totalCount": ["type": "integer"]])),
            "post": OpenAPIOperation.make("createOneApiKey", "Create One apiKey (the token is in this answer only)", tag: "ApiKeys", parameters: [],
                                          body: OpenAPIOperation.schema("ApiKey"), status: "201",
                                          response: OpenAPIOperation.envelope("createApiKey", OpenAPIOperation.schema("ApiKeyWithToken"))),
        ]
        paths["/apiKeys/{id}"] = [
            "get": OpenAPIOperation.make("findOneApiKey", "Find One apiKey", tag: "ApiKeys", parameters: ["idPath"],
                                         response: OpenAPIOperation.envelope("apiKey", key)),
            "patch": OpenAPIOperation.make("updateOneApiKey", "Update One apiKey", tag: "ApiKeys", parameters: ["idPath"],
                                           body: OpenAPIOperation.schema("ApiKeyForUpdate"), response: OpenAPIOperation.envelope("updateApiKey", key)),
            "delete": OpenAPIOperation.make("revokeOneApiKey", "Revoke One apiKey", tag: "ApiKeys", parameters: ["idPath"],
                                            response: OpenAPIOperation.envelope("revokeApiKey", key)),
        ]
        return paths
    }

    private static let parameters: JSONValue = [
        "idPath": ["name": "id", "in": "path", "required": true, "schema": ["type": "string", "format": "uuid"]],
        "limit": ["name": "limit", "in": "query", "description": "Items per page (at most 1000, the default).",
                  "schema": ["type": "integer", "minimum": 0, "maximum": .number(Double(MetadataCatalog.maximumPageSize))]],
        "startingAfter": ["name": "starting_after", "in": "query", "description": "A cursor (pageInfo.endCursor).", "schema": ["type": "string"]],
        "endingBefore": ["name": "ending_before", "in": "query", "description": "A cursor (pageInfo.startCursor).", "schema": ["type": "string"]],
    ]

    // MARK: - Schemas

    private static let string: JSONValue = ["type": "string"]
    private static let optionalString: JSONValue = ["type": ["string", "null"]]
    private static let boolean: JSONValue = ["type": "boolean"]
    private static let id: JSONValue = ["type": "string", "format": "uuid"]
    private static let optionalID: JSONValue = ["type": ["string", "null"], "format": "uuid"]
    private static let date: JSONValue = ["type": "string", "format": "date-time"]
    private static let optionalDate: JSONValue = ["type": ["string", "null"], "format": "date-time"]
    /// A value of any JSON type (a field's default value).
    private static let anyValue: JSONValue = ["description": "Any JSON value."]

    private static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return .object(schema)
    }

    private static var schemas: [String: JSONValue] {
        let objectNames: [String: JSONValue] = [
            "nameSingular": string, "namePlural": string, "labelSingular": string, "labelPlural": string,
            "description": optionalString, "icon": optionalString, "shortcut": optionalString, "isLabelSyncedWithName": boolean,
        ]
        var objectUpdate = objectNames
        objectUpdate.merge(["isActive": boolean, "labelIdentifierFieldMetadataId": id, "imageIdentifierFieldMetadataId": optionalID]) { _, new in new }
        var objectResponse = objectUpdate
        objectResponse.merge([
            "id": id, "dataSourceId": optionalID, "isCustom": boolean, "isSystem": boolean, "isRemote": boolean, "isAuditLogged": boolean,
            "isSearchable": boolean, "isUIReadOnly": boolean, "labelIdentifierFieldMetadataId": optionalID, "createdAt": date, "updatedAt": date,
            "duplicateCriteria": ["type": ["array", "null"], "description": "Groups of column names; records equal on every column of a group are duplicates.",
                                  "items": ["type": "array", "items": string]],
            "fields": ["type": "array", "items": OpenAPIOperation.schema("FieldForResponse")],
        ]) { _, new in new }

        let option: JSONValue = object(["id": id, "value": string, "label": string, "position": ["type": "number"], "color": string],
                                       required: ["value", "label"])
        let options: JSONValue = ["type": ["array", "null"], "description": "The options of a SELECT or MULTI_SELECT field.", "items": option]
        let settings: JSONValue = ["type": ["object", "null"], "additionalProperties": true]
        let relationPayload: JSONValue = object([
            "targetObjectMetadataId": id, "targetFieldLabel": string, "targetFieldIcon": string,
            "type": ["type": "string", "enum": ["MANY_TO_ONE", "ONE_TO_MANY"]],
        ], required: ["targetObjectMetadataId", "type"])
        let fieldType: JSONValue = ["type": "string", "enum": .array(FieldType.allCases.map { .string($0.rawValue) })]
        let fieldEditable: [String: JSONValue] = [
            "name": string, "label": string, "description": optionalString, "icon": optionalString, "defaultValue": anyValue,
            "options": options, "settings": settings, "isActive": boolean, "isLabelSyncedWithName": boolean,
        ]
        var fieldCreate = fieldEditable
        fieldCreate.merge([
            "objectMetadataId": id, "type": fieldType, "isNullable": boolean, "isUnique": boolean,
            "relationCreationPayload": relationPayload,
            "morphRelationsCreationPayload": ["type": "array", "items": relationPayload],
        ]) { _, new in new }
        let objectReference: JSONValue = object(["id": id, "nameSingular": string, "namePlural": string])
        let fieldReference: JSONValue = object(["id": id, "name": string])
        var fieldResponse = fieldEditable
        fieldResponse.merge([
            "id": id, "objectMetadataId": id, "type": fieldType, "isNullable": boolean, "isUnique": boolean, "isCustom": boolean,
            "isSystem": boolean, "isUIReadOnly": boolean, "morphId": optionalID, "createdAt": date, "updatedAt": date,
            "relation": ["oneOf": [object([
                "type": ["type": "string", "enum": ["MANY_TO_ONE", "ONE_TO_MANY"]],
                "sourceObjectMetadata": objectReference, "targetObjectMetadata": objectReference,
                "sourceFieldMetadata": fieldReference, "targetFieldMetadata": fieldReference,
            ]), ["type": "null"]]],
        ]) { _, new in new }

        let keyResponse: [String: JSONValue] = [
            "id": id, "name": string, "expiresAt": date, "revokedAt": optionalDate, "roleId": optionalID, "createdAt": date, "updatedAt": date,
        ]
        var keyWithToken = keyResponse
        keyWithToken["token"] = ["type": "string", "description": "The bearer token; shown once."]
        return [
            "Object": object(objectNames, required: ["nameSingular", "namePlural", "labelSingular", "labelPlural"]),
            "ObjectForUpdate": object(objectUpdate),
            "ObjectForResponse": object(objectResponse),
            "Field": object(fieldCreate, required: ["objectMetadataId", "type", "name", "label"]),
            "FieldForUpdate": object(fieldEditable),
            "FieldForResponse": object(fieldResponse),
            "ApiKey": object(["name": string, "expiresAt": date, "roleId": id], required: ["name"]),
            "ApiKeyForUpdate": object(["name": string, "revokedAt": optionalDate]),
            "ApiKeyForResponse": object(keyResponse),
            "ApiKeyWithToken": object(keyWithToken),
            "DeletedRecord": object(["id": id]),
        ]
    }
}
