import Foundation
import HTTPTypes
import Hummingbird

/// The request context of every Atrium route.
///
/// It carries the request id (set by ``RequestLoggingMiddleware``) and, once authentication lands,
/// the workspace the request acts in, so the per-request log line can name it.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request id: the client's `X-Request-Id`, or one generated for the request.
    public var requestID: String
    /// The workspace this request acts in, when known.
    public var workspaceID: UUID?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.workspaceID = nil
    }
}
