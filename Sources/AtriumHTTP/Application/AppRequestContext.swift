import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird

/// The request context of every Atrium route.
///
/// It carries the request id (set by ``RequestLoggingMiddleware``) and, behind ``AuthenticationMiddleware``,
/// the workspace the request acts in and who is acting.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request id: the client's `X-Request-Id`, or one generated for the request.
    public var requestID: String
    /// The workspace this request acts in, when known.
    public var workspaceID: UUID?
    /// Who is acting, set by ``AuthenticationMiddleware``.
    public var identity: Identity?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.workspaceID = nil
        self.identity = nil
    }
}
