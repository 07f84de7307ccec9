import HTTPTypes
import Hummingbird

/// Marks the answers of a legacy route as Twenty does: `Deprecation: @<unix time>` and a `Link` to its successor,
/// `</rest/metadata/apiKeys>; rel="successor-version"` for `/rest/apiKeys`.
struct DeprecatedRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    /// When the route was deprecated (Twenty's date for `/rest/apiKeys` and `/rest/webhooks`).
    let since: Int
    /// The legacy path prefix and the successor's: the rest of the path is kept.
    let prefix: String
    let successorPrefix: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[HTTPField.Name("Deprecation")!] = "@\(since)"
        let path = request.uri.path
        let successor = path.hasPrefix(prefix) ? successorPrefix + path.dropFirst(prefix.count) : successorPrefix
        response.headers[HTTPField.Name("Link")!] = "<\(successor)>; rel=\"successor-version\""
        return response
    }
}
