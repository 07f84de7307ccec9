import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird

/// Applies ``RateLimiter`` to authenticated API requests: `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
/// `X-RateLimit-Reset` on every response (errors included), and `429` with `Retry-After` when a bucket is empty.
///
/// In front of the GraphQL endpoints (``answeringInGraphQLShape()``) errors come as `{"errors":[…]}`: a refusal is
/// Twenty's `UserInputError` (`extensions.code` `BAD_USER_INPUT`, message `Limit reached (<n> tokens per <ms> ms)`),
/// still with status 429 and `Retry-After`, and `extensions.atriumCode` `rate_limited`.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter
    /// Whether errors are answered in GraphQL's shape.
    private(set) var graphQLShape = false

    init(limiter: RateLimiter) {
        self.limiter = limiter
    }

    /// The same limiter, answering errors in GraphQL's shape.
    func answeringInGraphQLShape() -> RateLimitMiddleware {
        var copy = self
        copy.graphQLShape = true
        return copy
    }

    static let limitHeader = HTTPField.Name("X-RateLimit-Limit")!
    static let remainingHeader = HTTPField.Name("X-RateLimit-Remaining")!
    static let resetHeader = HTTPField.Name("X-RateLimit-Reset")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard limiter.isEnabled, let workspace = context.workspaceID, let identity = context.identity,
              let decision = await limiter.check(workspace: workspace, caller: identity.rateLimitKey, logger: context.logger)
        else {
            return try await next(request, context)
        }
        var response: Response
        if decision.admitted {
            do {
                response = try await next(request, context)
            } catch {
                let api = ErrorMappingMiddleware<Context>.apiError(for: error, request: request, logger: context.logger)
                response = graphQLShape
                    ? GraphQLErrorMiddleware<Context>.response(status: api.status, message: api.messages.first ?? "Error",
                                                               code: GraphQLErrorBody.code(status: api.status),
                                                               atriumCode: api.code)
                    : try api.response(from: request, context: context)
            }
        } else if graphQLShape {
            let milliseconds = Int(limiter.settings.window.seconds * 1000)
            response = GraphQLErrorMiddleware<Context>.response(
                status: .tooManyRequests, message: "Limit reached (\(decision.limit) tokens per \(milliseconds) ms)",
                code: "BAD_USER_INPUT", atriumCode: AtriumError.Code.rateLimited.description)
            response.headers[.retryAfter] = String(decision.resetSeconds)
        } else {
            let error = APIError(.tooManyRequests, code: AtriumError.Code.rateLimited.description,
                                 messages: ["Too many requests: at most \(decision.limit) per \(Self.describe(limiter.settings.window))"])
            response = try error.response(from: request, context: context)
            response.headers[.retryAfter] = String(decision.resetSeconds)
        }
        response.headers[Self.limitHeader] = String(decision.limit)
        response.headers[Self.remainingHeader] = String(max(0, decision.remaining))
        response.headers[Self.resetHeader] = String(decision.resetSeconds)
        return response
    }

    /// `60 s`, `1.5 s`.
    static func describe(_ window: Duration) -> String {
        let seconds = window.seconds
        return (seconds.rounded() == seconds ? String(Int(seconds)) : String(seconds)) + " s"
    }
}

extension Identity {
    /// Whose bucket a request spends.
    var rateLimitKey: String {
        switch self {
        case .apiKey(let id, _): "apikey:" + id.lowercased
        case .member(let userID, _, _): "user:" + userID.lowercased
        }
    }
}
