import Foundation
import HTTPTypes
import Hummingbird

/// An error response in Twenty's REST shape:
/// `{"statusCode": 404, "error": "NotFoundException", "messages": ["…"]}`.
///
/// Atrium's stable error code rides along as an extra `code` field, which Twenty's clients ignore.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    /// Client-safe messages.
    public let messages: [String]
    /// Atrium's stable error code (`not_found`, `validation_failed`, …).
    public let code: String

    /// Creates an error response.
    public init(_ status: HTTPResponse.Status, code: String, messages: [String]) {
        self.status = status
        self.code = code
        self.messages = messages
    }

    /// Twenty's exception name for a status (NestJS names).
    public var exceptionName: String {
        switch status.code {
        case 400: "BadRequestException"
        case 401: "UnauthorizedException"
        case 403: "ForbiddenException"
        case 404: "NotFoundException"
        case 405: "MethodNotAllowedException"
        case 408: "RequestTimeoutException"
        case 409: "ConflictException"
        case 413: "PayloadTooLargeException"
        case 422: "UnprocessableEntityException"
        case 429: "TooManyRequestsException"
        case 503: "ServiceUnavailableException"
        case 504: "GatewayTimeoutException"
        default: status.code >= 500 ? "InternalServerErrorException" : "BadRequestException"
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(statusCode: status.code, error: exceptionName, messages: messages, code: code)
        let data = try JSONEncoder().encode(body)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if status == .serviceUnavailable { headers[.retryAfter] = Self.retryAfterSeconds }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The `Retry-After` of every 503 (a dependency down, restarting or busy, a deadlock lost): one second, about
    /// what a PostgreSQL restart takes and well past the time the pool needs to reconnect once it is back.
    static let retryAfterSeconds = "1"

    /// The JSON body, in Twenty's field order.
    struct Body: Codable, Equatable {
        let statusCode: Int
        let error: String
        let messages: [String]
        let code: String
    }
}
