import AtriumCore
import Foundation

/// The OpenAPI 3.1 document of a workspace's records REST API, generated from its metadata (standard and custom
/// objects): every route of Twenty's contract with its parameters, bodies and response envelopes. Without a workspace
/// (a request with no valid token, as Twenty's public endpoint answers it) it is the frame alone: no paths.
struct OpenAPIDocument {
    let schema: WorkspaceSchema?
    /// `SERVER_URL`; the document's server is `<SERVER_URL>/rest`.
    let serverURL: String

    /// The document as JSON bytes (sorted keys, so the same metadata gives the same bytes).
    func encoded() throws -> [UInt8] {
        try Self.encoded(document())
    }

    func document() -> JSONValue {
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = ["DeletedRecord": ["type": "object", "properties": ["id": ["type": "string", "format": "uuid"]]]]
        for object in schema?.objects ?? [] where object.isActive {
            let models = OpenAPISchemas(object: object)
            schemas.merge(models.all()) { _, new in new }
            for (path, item) in OpenAPIPaths(object: object, type: models.name).items() { paths[path] = item }
        }
        let description = schema.map { "Records of workspace \($0.workspaceID.lowercased) (metadata version \($0.metadataVersion)), Twenty-compatible." }
            ?? "Records of a workspace, Twenty-compatible: send an API key as a bearer token for its objects."
        return Self.frame(title: "Atrium REST API", description: description, server: serverURL.trimmingTrailingSlash + "/rest",
                          paths: paths, schemas: schemas, parameters: OpenAPIPaths.sharedParameters)
    }

    /// A whole document around `paths`: Twenty's bearer security scheme, its error body and `PageInfo`, and the 400,
    /// 401 and 404 responses the operations refer to.
    static func frame(
        title: String, description: String, server: String, paths: [String: JSONValue], schemas: [String: JSONValue], parameters: JSONValue
    ) -> JSONValue {
        var schemas = schemas
        schemas["Error"] = ["type": "object", "properties": [
            "statusCode": ["type": "integer"], "error": ["type": "string"], "messages": ["type": "array", "items": ["type": "string"]],
        ]]
        schemas["PageInfo"] = ["type": "object", "properties": [
            "hasNextPage": ["type": "boolean"], "hasPreviousPage": ["type": "boolean"],
            "startCursor": ["type": ["string", "null"]], "endCursor": ["type": ["string", "null"]],
        ]]
        let error: JSONValue = ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]
        return [
            "openapi": "3.1.0",
            "info": ["title": .string(title), "version": .string(AtriumVersion.current.description), "description": .string(description)],
            "servers": [["url": .string(server)]],
            "security": [["bearerAuth": []]],
            "paths": .object(paths),
            "components": [
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
                "schemas": .object(schemas),
                "parameters": parameters,
                "responses": [
                    "400": ["description": "Bad request", "content": error],
                    "401": ["description": "Unauthorized", "content": error],
                    "404": ["description": "Not found", "content": error],
                ],
            ],
        ]
    }

    /// `document` as JSON bytes, keys sorted.
    static func encoded(_ document: JSONValue) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(document))
    }
}

extension String {
    var trimmingTrailingSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}
