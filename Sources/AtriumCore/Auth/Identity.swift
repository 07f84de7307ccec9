import Foundation
import Logging

/// Who is making a request.
public enum Identity: Sendable, Hashable {
    /// An API key of the request's workspace.
    case apiKey(id: UUID, name: String)
    /// A signed-in user acting as their workspace member (access token). `name` is the member's display name.
    case member(userID: UUID, workspaceMemberID: UUID, name: String)
}

/// The outcome of a successful authentication: the workspace the request acts in and who acts.
public struct Authentication: Sendable, Hashable {
    /// The workspace the token is bound to.
    public let workspaceID: UUID
    /// Who presented the token.
    public let identity: Identity

    /// Creates an authentication result.
    public init(workspaceID: UUID, identity: Identity) {
        self.workspaceID = workspaceID
        self.identity = identity
    }
}

/// Resolves a bearer token to an ``Authentication``.
public protocol BearerTokenAuthenticator: Sendable {
    /// Verifies `token` and resolves its workspace and identity.
    /// - Parameters:
    ///   - token: The token from `Authorization: Bearer <token>`.
    ///   - logger: The request's logger.
    /// - Throws: ``AtriumError`` with code `unauthenticated` (or `forbidden` for a workspace that may not be used).
    func authenticate(token: String, logger: Logger) async throws -> Authentication
}
