import AtriumCore
import HTTPTypes
import Hummingbird

extension APIError {
    /// Maps a domain error to its HTTP status, keeping its client-safe message.
    init(_ error: AtriumError) {
        let status: HTTPResponse.Status = switch error.code {
        case .badRequest, .validationFailed, .invalidReference: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .unavailable, .retryable, .timeout: .serviceUnavailable
        case .rateLimited: .tooManyRequests
        default: .internalServerError
        }
        self.init(status, code: error.code.description, messages: [error.message])
    }

    /// Maps Hummingbird's own errors (unmatched route, undecodable body) to Twenty's shape.
    init(_ error: HTTPError, request: Request) {
        let message: String
        if let body = error.body {
            message = body
        } else if error.status == .notFound {
            message = "Cannot \(request.method.rawValue) \(request.uri.path)"
        } else {
            message = error.status.reasonPhrase
        }
        let code: AtriumError.Code = switch error.status.code {
        case 401: .unauthenticated
        case 403: .forbidden
        case 404: .notFound
        case 429: .rateLimited
        case 400..<500: .badRequest
        default: .internalError
        }
        self.init(error.status, code: code.description, messages: [message])
    }
}
