import AtriumCore
import HTTPTypes
import Hummingbird
import Logging

/// Turns every error into a response in Twenty's error shape, so no request ends in Hummingbird's empty 500.
///
/// Domain errors keep their client-safe message; Hummingbird's errors (unmatched route, bad body) keep their
/// status; anything else is a bug: it is logged at `.error` with the request id and answered with a generic 500.
public struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.apiError(for: error, request: request, logger: context.logger)
                .response(from: request, context: context)
        }
    }

    /// The API error a thrown error becomes.
    static func apiError(for error: any Error, request: Request, logger: Logger) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as AtriumError:
            error.log("request failed", to: logger)
            return APIError(error)
        case let error as HTTPError:
            return APIError(error, request: request)
        case let error as any HTTPResponseError:
            return APIError(error.status, code: AtriumError.Code.badRequest.description, messages: [error.status.reasonPhrase])
        default:
            logger.error("unexpected error", metadata: ["error": .string(String(reflecting: error))])
            return APIError(.internalServerError, code: AtriumError.Code.internalError.description, messages: ["Internal server error"])
        }
    }
}
