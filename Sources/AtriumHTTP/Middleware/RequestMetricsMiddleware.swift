import AtriumCore
import HTTPTypes
import Hummingbird
import Metrics

/// Counts requests and records their latency by route template, method and status.
///
/// Exported as `atrium_http_requests_total` and the histogram `atrium_http_request_duration_seconds`.
/// The route label is the matched template (`/rest/:object`), never the raw path, so cardinality stays bounded;
/// requests that match no route are labelled `unmatched`.
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let factory: any MetricsFactory

    /// - Parameter factory: Where the metrics go (the application's Prometheus registry).
    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let dimensions = [
            ("route", context.endpointPath ?? "unmatched"),
            ("method", request.method.rawValue),
            ("status", String(response.status.code)),
        ]
        Counter(label: "atrium_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Metrics.Timer(label: "atrium_http_request_duration_seconds", dimensions: dimensions, factory: factory)
            .recordNanoseconds(start.duration(to: .now).nanoseconds)
        return response
    }
}
