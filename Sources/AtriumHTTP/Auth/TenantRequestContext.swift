import AtriumCore
import Foundation
import Hummingbird

/// The context of routes that always act in a workspace: the workspace and identity are not optional.
///
/// Use it for a group behind ``AuthenticationMiddleware``; building it without an authenticated parent context
/// fails with 401, so a route can never run without a workspace:
/// ```swift
/// router.group("rest").add(middleware: authentication)
///     .group(context: TenantRequestContext.self)
///     .get("companies") { request, context in context.workspaceID … }
/// ```
public struct TenantRequestContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request id of the parent context.
    public let requestID: String
    /// The workspace the request acts in.
    public let workspaceID: UUID
    /// Who is acting.
    public let identity: Identity

    /// Takes the authenticated state of `context`.
    /// - Throws: ``AtriumError`` `unauthenticated` when `context` was not authenticated.
    public init(context: AppRequestContext) throws {
        let authentication = try context.requireAuthentication()
        self.coreContext = context.coreContext
        self.requestID = context.requestID
        self.workspaceID = authentication.workspaceID
        self.identity = authentication.identity
    }
}

extension AppRequestContext {
    /// The request's workspace and identity.
    /// - Throws: ``AtriumError`` `unauthenticated` ("Missing authentication token") when the route is not behind
    ///   ``AuthenticationMiddleware`` or it did not run.
    public func requireAuthentication() throws -> Authentication {
        guard let workspaceID, let identity else { throw AtriumError.missingToken() }
        return Authentication(workspaceID: workspaceID, identity: identity)
    }
}
