import Foundation
import JWTKit
import Logging

// MARK: - Authentication

extension APIKeyManager {
    /// Resolves an API key token to its workspace and key.
    ///
    /// Steps: read the token's `type` and `workspaceId` (or `sub`) unverified; derive the secret of
    /// (`API_KEY`, workspace) and verify the signature and `exp` with jwt-kit; load the key by `jti` (cached, see
    /// ``APIKeyCache``) and require it to belong to that workspace and to be neither deleted, revoked nor expired;
    /// require the workspace to exist and be ACTIVE.
    ///
    /// - Throws: ``AtriumError`` `unauthenticated` ("Invalid token", "Token has expired", "This API key is revoked");
    ///   `forbidden` when the workspace is SUSPENDED or otherwise not ACTIVE (its keys are genuine, but it may not
    ///   be used now).
    public func authenticate(token: String, logger: Logger) async throws -> Authentication {
        let claimed = try await codec.peek(token)
        guard claimed.type == TokenType.apiKey.rawValue, let workspaceID = claimed.claimedWorkspaceID else {
            throw AtriumError.invalidToken()
        }
        let claims = try await codec.verify(token, as: APIKeyClaims.self, type: .apiKey, id: workspaceID)
        guard UUID(text: claims.workspaceId) == workspaceID, UUID(text: claims.sub.value) == workspaceID,
              let keyID = UUID(text: claims.jti.value)
        else { throw AtriumError.invalidToken() }

        guard let lookup = try await lookup(keyID, logger: logger), lookup.key.workspaceID == workspaceID,
              lookup.key.deletedAt == nil, !lookup.workspaceDeleted
        else { throw AtriumError.invalidToken() }
        let key = lookup.key
        if key.revokedAt != nil { throw AtriumError.apiKeyRevoked() }
        if key.expiresAt <= codec.time.date { throw AtriumError.tokenExpired() }
        switch lookup.workspaceStatus {
        case "ACTIVE":
            break
        case "SUSPENDED":
            throw AtriumError(.forbidden, "This workspace is suspended")
        default:
            throw AtriumError(.forbidden, "This workspace is not active")
        }
        return Authentication(workspaceID: workspaceID, identity: .apiKey(id: key.id, name: key.name))
    }

    /// The key row with its workspace's state: from the cache when fresh, else from PostgreSQL (and then cached).
    func lookup(_ id: UUID, logger: Logger) async throws -> APIKeyStore.Lookup? {
        let keys = self.keys
        return try await cache.lookup(id) { try await keys.lookup(id, logger: logger) }
    }
}
