import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

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
    /// The peer's IP address, when the connection has one (login throttling).
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
        self.requestID = ""
        self.workspaceID = nil
        self.identity = nil
    }
}
