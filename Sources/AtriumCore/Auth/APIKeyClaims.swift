import Foundation
import JWTKit

/// The payload of an API key token, as Twenty writes it:
/// `{sub: workspaceId, type: "API_KEY", workspaceId, jti: apiKeyId, iat, exp}`.
///
/// jwt-kit checks `exp` when it verifies the signature; the key's row is checked by ``APIKeyManager``.
public struct APIKeyClaims: ExpiringClaims, Equatable {
    /// The workspace id (Twenty puts it in `sub` too).
    public var sub: SubjectClaim
    /// Always `API_KEY` for tokens Atrium issues.
    public var type: String
    /// The workspace id, lower-case.
    public var workspaceId: String
    /// The `core.apiKey` row id, lower-case.
    public var jti: IDClaim
    /// When the token was issued.
    public var iat: IssuedAtClaim
    /// When the token expires: the key's `expiresAt`.
    public var exp: ExpirationClaim

    /// Creates the claims of the token of API key `apiKeyID` in `workspaceID`.
    /// - Parameters:
    ///   - apiKeyID: The key's row id.
    ///   - workspaceID: The key's workspace.
    ///   - issuedAt: The issue time.
    ///   - expiresAt: The expiry, the key's `expiresAt`.
    public init(apiKeyID: UUID, workspaceID: UUID, issuedAt: Date, expiresAt: Date) {
        let workspace = workspaceID.lowercased
        sub = SubjectClaim(value: workspace)
        type = TokenType.apiKey.rawValue
        workspaceId = workspace
        jti = IDClaim(value: apiKeyID.lowercased)
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: expiresAt)
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// The claims read from a token before its signature is checked, to pick the secret that verifies it.
public struct UnverifiedClaims: JWTPayload, Equatable {
    /// The token type (absent in legacy tokens).
    public var type: String?
    /// The workspace id claim.
    public var workspaceId: String?
    /// The subject claim.
    public var sub: String?

    /// Never called: these claims are only ever decoded unverified.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// The workspace the token claims: `workspaceId`, else `sub`.
    public var claimedWorkspaceID: UUID? {
        (workspaceId ?? sub).flatMap(UUID.init(text:))
    }
}
