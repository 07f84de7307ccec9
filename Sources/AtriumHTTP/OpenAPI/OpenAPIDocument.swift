import AtriumCore
import Foundation

/// The OpenAPI 3.1 document of a workspace's records REST API, generated from its metadata (standard and custom
/// objects): every route of Twenty's contract with its parameters, bodies and response envelopes.
struct OpenAPIDocument {
    let schema: WorkspaceSchema
    /// `SERVER_URL`; the document's server is `<SERVER_URL>/rest`.
    let serverURL: String

    /// The document as JSON bytes (sorted keys, so the same metadata gives the same bytes).
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(document()))
    }

    func document() -> JSONValue {
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = [
            "Error": ["type": "object", "properties": [
                "statusCode": ["type": "integer"], "error": ["type": "string"], "messages": ["type": "array", "items": ["type": "string"]],
            ]],
            "PageInfo": ["type": "object", "properties": [
                "hasNextPage": ["type": "boolean"], "hasPreviousPage": ["type": "boolean"],
                "startCursor": ["type": ["string", "null"]], "endCursor": ["type": ["string", "null"]],
            ]],
            "DeletedRecord": ["type": "object", "properties": ["id": ["type": "string", "format": "uuid"]]],
        ]
        for object in schema.objects where object.isActive {
            let models = OpenAPISchemas(object: object)
            schemas.merge(models.all()) { _, new in new }
            for (path, item) in OpenAPIPaths(object: object, type: models.name).items() { paths[path] = item }
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Atrium REST API", "version": .string(AtriumVersion.current.description),
                "description": .string("Records of workspace \(schema.workspaceID.lowercased) (metadata version \(schema.metadataVersion)), Twenty-compatible."),
            ],
            "servers": [["url": .string(serverURL.trimmingTrailingSlash + "/rest")]],
            "security": [["bearerAuth": []]],
            "paths": .object(paths),
            "components": [
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
                "schemas": .object(schemas),
                "parameters": OpenAPIPaths.sharedParameters,
                "responses": [
                    "400": ["description": "Bad request", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]],
                    "401": ["description": "Unauthorized", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]],
                    "404": ["description": "Not found", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]],
                ],
            ],
        ]
    }
}

extension String {
    fileprivate var trimmingTrailingSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}
