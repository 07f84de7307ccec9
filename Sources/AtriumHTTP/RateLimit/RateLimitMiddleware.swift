import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird

/// Applies ``RateLimiter`` to authenticated API requests: `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
/// `X-RateLimit-Reset` on every response (errors included), and `429` with `Retry-After` when a bucket is empty.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter

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
                response = try ErrorMappingMiddleware<Context>.apiError(for: error, request: request, logger: context.logger)
                    .response(from: request, context: context)
            }
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
        case .apiKey(let id, _): "apikey:" + id.uuidString.lowercased()
        case .member(let userID, _, _): "user:" + userID.uuidString.lowercased()
        }
    }
}
