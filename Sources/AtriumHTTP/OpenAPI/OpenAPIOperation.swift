import AtriumCore

/// The pieces every path of Atrium's OpenAPI documents is made of: an operation and Twenty's `{"data": {key: …}}`
/// response envelope.
enum OpenAPIOperation {
    /// One operation whose parameters are references to `#/components/parameters/<name>`, answering `status` with
    /// `response`, or 400 and 401 in Twenty's error shape.
    static func make(
        _ id: String, _ summary: String, tag: String, parameters: [String], body: JSONValue? = nil, status: String = "200",
        response: JSONValue
    ) -> JSONValue {
        var value: [String: JSONValue] = [
            "operationId": .string(id), "summary": .string(summary), "tags": [.string(tag)],
            "parameters": .array(parameters.map { ["$ref": .string("#/components/parameters/\($0)")] }),
            "responses": .object([
                status: ["description": "Successful operation", "content": ["application/json": ["schema": response]]],
                "400": ["$ref": "#/components/responses/400"], "401": ["$ref": "#/components/responses/401"],
            ]),
        ]
        if let body { value["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]] }
        return .object(value)
    }

    /// `{"data": {"<key>": value}, …extra}`.
    static func envelope(_ key: String, _ value: JSONValue, extra: [String: JSONValue] = [:]) -> JSONValue {
        var properties: [String: JSONValue] = ["data": ["type": "object", "properties": .object([key: value])]]
        properties.merge(extra) { _, new in new }
        return ["type": "object", "properties": .object(properties)]
    }

    /// The properties a paged list adds beside `data`.
    static let page: [String: JSONValue] = ["totalCount": ["type": "integer"], "pageInfo": ["$ref": "#/components/schemas/PageInfo"]]

    /// A reference to `#/components/schemas/<name>`.
    static func schema(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/schemas/\(name)")]
    }
}
