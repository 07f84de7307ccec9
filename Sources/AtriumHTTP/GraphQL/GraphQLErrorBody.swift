import AtriumCore
import GraphQL
import HTTPTypes
import Logging

/// One entry of a GraphQL response's `errors`: `{message, locations, path, extensions: {code}}`, with Twenty's codes
/// (`GRAPHQL_PARSE_FAILED`, `GRAPHQL_VALIDATION_FAILED`, `BAD_USER_INPUT`, `NOT_FOUND`, `UNAUTHENTICATED`, `FORBIDDEN`,
/// `CONFLICT`, `TIMEOUT`, `INTERNAL_SERVER_ERROR`). Internal details never reach the client; they are logged.
struct GraphQLErrorBody: Encodable {
    struct Location: Encodable {
        let line: Int
        let column: Int
    }

    struct Extensions: Encodable {
        let code: String
        /// Atrium's stable error code, when the error came from the record engine.
        let atriumCode: String?
    }

    let message: String
    let locations: [Location]?
    let path: [PathElement]?
    let extensions: Extensions

    enum PathElement: Encodable {
        case key(String)
        case index(Int)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .key(let key): try container.encode(key)
            case .index(let index): try container.encode(index)
            }
        }
    }

    init(message: String, code: String, atriumCode: String? = nil, locations: [Location]? = nil, path: [PathElement]? = nil) {
        self.message = message
        self.locations = locations
        self.path = path
        self.extensions = Extensions(code: code, atriumCode: atriumCode)
    }

    /// A parse or validation error, with its locations.
    init(_ error: GraphQLError, code: String) {
        self.init(message: error.message, code: code, locations: Self.locations(error))
    }

    /// An execution error: the record engine's errors keep their message and map their code; errors GraphQLSwift
    /// raised about the request's values are the client's; anything else is logged and reported generically.
    init(classifying error: GraphQLError, logger: Logger) {
        let path = error.path.elements.map { element -> PathElement in
            switch element {
            case .index(let index): .index(index)
            case .key(let key): .key(key)
            }
        }
        let locations = Self.locations(error)
        if let atrium = error.originalError as? AtriumError {
            atrium.log("GraphQL field failed", to: logger)
            let isInternal = atrium.code == .internalError
            self.init(message: isInternal ? "Internal server error" : atrium.message, code: Self.code(atrium.code),
                      atriumCode: atrium.code.description, locations: locations, path: path)
        } else if let other = error.originalError, !(other is GraphQLError) {
            logger.error("GraphQL field failed", metadata: ["error": .string(String(reflecting: other))])
            self.init(message: "Internal server error", code: "INTERNAL_SERVER_ERROR", locations: locations, path: path)
        } else {
            self.init(message: error.message, code: "BAD_USER_INPUT", locations: locations, path: path)
        }
    }

    private static func locations(_ error: GraphQLError) -> [Location]? {
        error.locations.isEmpty ? nil : error.locations.map { Location(line: $0.line, column: $0.column) }
    }

    /// Twenty's GraphQL code for an HTTP status.
    static func code(status: HTTPResponse.Status) -> String {
        switch status.code {
        case 401: "UNAUTHENTICATED"
        case 403: "FORBIDDEN"
        case 404: "NOT_FOUND"
        case 405: "METHOD_NOT_ALLOWED"
        case 409: "CONFLICT"
        case 408, 504: "TIMEOUT"
        case 503: "SERVICE_UNAVAILABLE"
        case 400..<500: "BAD_USER_INPUT"
        default: "INTERNAL_SERVER_ERROR"
        }
    }

    /// Twenty's GraphQL code for an Atrium error code.
    static func code(_ code: AtriumError.Code) -> String {
        switch code {
        case .badRequest, .validationFailed, .invalidReference: "BAD_USER_INPUT"
        case .unauthenticated: "UNAUTHENTICATED"
        case .forbidden: "FORBIDDEN"
        case .notFound: "NOT_FOUND"
        case .conflict: "CONFLICT"
        case .timeout: "TIMEOUT"
        case .unavailable, .retryable: "SERVICE_UNAVAILABLE"
        default: "INTERNAL_SERVER_ERROR"
        }
    }
}
