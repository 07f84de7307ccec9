import Foundation
import JWTKit
import Logging

// MARK: - Access tokens

extension UserAccounts: BearerTokenAuthenticator {
    /// Resolves a user's access token to its workspace and member.
    ///
    /// Steps: read `type` and `workspaceId` unverified; require `ACCESS`; verify signature and `exp` with the secret of
    /// (`ACCESS`, workspaceId) — a token minted for workspace A that names workspace B fails here; then require the
    /// membership (userWorkspace) to still exist with an enabled user, and the workspace to be ACTIVE.
    /// - Throws: ``AtriumError`` `unauthenticated` ("Invalid token", "Token has expired"), `forbidden` for a
    ///   suspended or inactive workspace or a disabled user.
    public func authenticate(token: String, logger: Logger) async throws -> Authentication {
        let claimed = try await codec.peek(token)
        guard claimed.type == TokenType.access.rawValue, let workspaceID = claimed.workspaceId.flatMap(UUID.init(text:)) else {
            throw AtriumError.invalidToken()
        }
        let claims = try await codec.verify(token, as: AccessTokenClaims.self, type: .access, id: workspaceID)
        guard UUID(text: claims.workspaceId) == workspaceID, let userID = UUID(text: claims.userId),
              UUID(text: claims.sub.value) == userID, let userWorkspaceID = UUID(text: claims.userWorkspaceId),
              let memberID = UUID(text: claims.workspaceMemberId)
        else { throw AtriumError.invalidToken() }
        guard let state = try await users.accessState(userID: userID, userWorkspaceID: userWorkspaceID, workspaceID: workspaceID, logger: logger)
        else { throw AtriumError.invalidToken() }
        guard !state.disabled else { throw AtriumError(.forbidden, "This user is disabled") }
        switch state.status {
        case "ACTIVE": break
        case "SUSPENDED": throw AtriumError(.forbidden, "This workspace is suspended")
        default: throw AtriumError(.forbidden, "This workspace is not active")
        }
        return Authentication(workspaceID: workspaceID, identity: .member(userID: userID, workspaceMemberID: memberID, name: state.user))
    }
}

/// Routes a bearer token to the authenticator of its `type`: `ACCESS` to ``UserAccounts``, anything else (`API_KEY`
/// and legacy keys) to ``APIKeyManager``, which refuses what it does not know.
public struct BearerTokenRouter: BearerTokenAuthenticator {
    let apiKeys: any BearerTokenAuthenticator
    let accounts: any BearerTokenAuthenticator
    let codec: TokenCodec

    /// - Parameters:
    ///   - apiKeys: Authenticates API key tokens.
    ///   - accounts: Authenticates user access tokens.
    public init(apiKeys: any BearerTokenAuthenticator, accounts: any BearerTokenAuthenticator, secrets: TokenSecrets) {
        self.apiKeys = apiKeys
        self.accounts = accounts
        self.codec = TokenCodec(secrets: secrets)
    }

    public func authenticate(token: String, logger: Logger) async throws -> Authentication {
        let claimed = try await codec.peek(token)
        if claimed.type == TokenType.access.rawValue { return try await accounts.authenticate(token: token, logger: logger) }
        return try await apiKeys.authenticate(token: token, logger: logger)
    }
}
