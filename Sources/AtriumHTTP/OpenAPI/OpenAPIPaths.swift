import AtriumCore

/// The paths of one object in the OpenAPI document (Twenty's thirteen record routes).
struct OpenAPIPaths {
    let object: WorkspaceSchema.Object
    /// `Company`.
    let type: String

    var plural: String { object.namePlural }
    var singular: String { object.nameSingular }
    var pluralType: String { plural.prefix(1).uppercased() + plural.dropFirst() }

    func items() -> [(String, JSONValue)] {
        func operation(_ id: String, _ summary: String, parameters: [String], body: JSONValue? = nil, status: String = "200", response: JSONValue) -> JSONValue {
            OpenAPIOperation.make(id, summary, tag: object.labelPlural, parameters: parameters, body: body, status: status, response: response)
        }
        func data(_ key: String, _ value: JSONValue, extra: [String: JSONValue] = [:]) -> JSONValue {
            OpenAPIOperation.envelope(key, value, extra: extra)
        }
        let record = OpenAPIOperation.schema("\(type)ForResponse")
        let records: JSONValue = ["type": "array", "items": record]
        let deleted = OpenAPIOperation.schema("DeletedRecord")
        let page = OpenAPIOperation.page
        let create = OpenAPIOperation.schema(type)
        let update = OpenAPIOperation.schema("\(type)ForUpdate")
        let ids: JSONValue = ["type": "array", "items": ["type": "string", "format": "uuid"]]
        return [
            ("/\(plural)", [
                "get": operation("findMany\(pluralType)", "Find Many \(plural)",
                                 parameters: ["orderBy", "filter", "limit", "depth", "startingAfter", "endingBefore"],
                                 response: data(plural, records, extra: page)),
                "post": operation("createOne\(type)", "Create One \(singular)", parameters: ["depth", "upsert"], body: create,
                                  status: "201", response: data("create\(type)", record)),
                "patch": operation("updateMany\(pluralType)", "Update Many \(plural)", parameters: ["depth", "filter"], body: update,
                                   response: data("update\(pluralType)", records)),
                "delete": operation("deleteMany\(pluralType)", "Delete Many \(plural)", parameters: ["filter", "softDelete"],
                                    response: data("delete\(pluralType)", ["type": "array", "items": deleted])),
            ]),
            ("/\(plural)/{id}", [
                "get": operation("findOne\(type)", "Find One \(singular)", parameters: ["idPath", "depth"], response: data(singular, record)),
                "patch": operation("updateOne\(type)", "Update One \(singular)", parameters: ["idPath", "depth"], body: update,
                                   response: data("update\(type)", record)),
                "delete": operation("deleteOne\(type)", "Delete One \(singular)", parameters: ["idPath", "softDelete"],
                                    response: data("delete\(type)", deleted)),
            ]),
            ("/batch/\(plural)", [
                "post": operation("createMany\(pluralType)", "Create Many \(plural)", parameters: ["depth", "upsert"],
                                  body: ["type": "array", "items": create], status: "201", response: data("create\(pluralType)", records)),
            ]),
            ("/\(plural)/duplicates", [
                "post": operation("find\(type)Duplicates", "Find \(singular) Duplicates", parameters: ["depth"],
                                  body: ["type": "object", "properties": ["ids": ids, "data": ["type": "array", "items": create]]],
                                  response: ["type": "object", "properties": ["data": ["type": "array", "items": [
                                      "type": "object", "properties": [.init(stringLiteral: "\(singular)Duplicates"): records,
                                                                       "totalCount": ["type": "integer"], "pageInfo": ["$ref": "#/components/schemas/PageInfo"]],
                                  ]]]]),
            ]),
            ("/\(plural)/groupBy", [
                "get": operation("groupBy\(pluralType)", "Group By \(plural)",
                                 parameters: ["groupBy", "filter", "orderBy", "limit", "aggregate", "includeRecordsSample", "orderByForRecords"],
                                 response: data("\(plural)GroupBy", ["type": "array", "items": [
                                     "type": "object", "additionalProperties": true, "properties": [
                                         "groupByDimensionValues": ["type": "array", "items": ["type": ["string", "null"]]], "records": records,
                                     ],
                                 ]])),
            ]),
            ("/\(plural)/merge", [
                "patch": operation("mergeMany\(pluralType)", "Merge Many \(plural)", parameters: ["depth"],
                                   body: ["type": "object", "required": ["ids", "conflictPriorityIndex"], "properties": [
                                       "ids": ids, "conflictPriorityIndex": ["type": "integer"], "dryRun": ["type": "boolean"],
                                   ]],
                                   response: data("merge\(pluralType)", record)),
            ]),
            ("/restore/\(plural)", [
                "patch": operation("restoreMany\(pluralType)", "Restore Many \(plural)", parameters: ["filter"],
                                   response: data("restore\(pluralType)", records)),
            ]),
            ("/restore/\(plural)/{id}", [
                "patch": operation("restoreOne\(type)", "Restore One \(singular)", parameters: ["idPath"], response: data("restore\(type)", record)),
            ]),
        ]
    }

    static let sharedParameters: JSONValue = [
        "idPath": ["name": "id", "in": "path", "required": true, "description": "Object id.", "schema": ["type": "string", "format": "uuid"]],
        "filter": ["name": "filter", "in": "query", "description": "Format: field[COMPARATOR]:value,field2[COMPARATOR]:value2; conjunctions and(…), or(…), not(…). Comparators: eq, neq, in, containsAny, is, gt, gte, lt, lte, startsWith, endsWith, like, ilike.", "schema": ["type": "string"]],
        "orderBy": ["name": "order_by", "in": "query", "description": "Format: field_1,field_2[DIRECTION]; directions AscNullsFirst, AscNullsLast, DescNullsFirst, DescNullsLast.", "schema": ["type": "string"]],
        "limit": ["name": "limit", "in": "query", "description": "Records per page (default 60, at most 200).", "schema": ["type": "integer", "minimum": 0, "maximum": 200, "default": 60]],
        "depth": ["name": "depth", "in": "query", "description": "0: the records only; 1: with their direct relations.", "schema": ["type": "integer", "enum": [0, 1], "default": 0]],
        "startingAfter": ["name": "starting_after", "in": "query", "description": "A cursor (pageInfo.endCursor).", "schema": ["type": "string"]],
        "endingBefore": ["name": "ending_before", "in": "query", "description": "A cursor (pageInfo.startCursor).", "schema": ["type": "string"]],
        "softDelete": ["name": "soft_delete", "in": "query", "description": "true: soft delete; otherwise destroy.", "schema": ["type": "boolean"]],
        "upsert": ["name": "upsert", "in": "query", "description": "Update the record when its id exists.", "schema": ["type": "boolean"]],
        "groupBy": ["name": "group_by", "in": "query", "required": true, "description": "JSON array, e.g. [{\"stage\":true},{\"createdAt\":{\"granularity\":\"DAY\"}}].", "schema": ["type": "string"]],
        "aggregate": ["name": "aggregate", "in": "query", "description": "JSON array of aggregate names, e.g. [\"countNotEmptyId\"].", "schema": ["type": "string"]],
        "includeRecordsSample": ["name": "include_records_sample", "in": "query", "schema": ["type": "boolean"]],
        "orderByForRecords": ["name": "order_by_for_records", "in": "query", "schema": ["type": "string"]],
    ]
}
