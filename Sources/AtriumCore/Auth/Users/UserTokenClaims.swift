import Foundation
import JWTKit

/// The payload of a user's access token, as Twenty writes it (CONTRACT.md §6):
/// `{sub: userId, type: "ACCESS", workspaceId, userId, userWorkspaceId, workspaceMemberId, authProvider, iat, exp}`.
/// Signed with the secret of (`ACCESS`, workspaceId).
public struct AccessTokenClaims: ExpiringClaims, Equatable {
    public var sub: SubjectClaim
    public var type: String
    public var workspaceId: String
    public var userId: String
    public var userWorkspaceId: String
    public var workspaceMemberId: String
    public var authProvider: String
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim

    /// Creates the claims of an access token of `membership`.
    public init(_ membership: Membership, issuedAt: Date, expiresAt: Date) {
        let user = membership.userID.lowercased
        sub = SubjectClaim(value: user)
        type = TokenType.access.rawValue
        workspaceId = membership.workspaceID.lowercased
        userId = user
        userWorkspaceId = membership.userWorkspaceID.lowercased
        workspaceMemberId = membership.workspaceMemberID.lowercased
        authProvider = "password"
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: expiresAt)
    }
}

/// The payload of a refresh token: `{sub: userId, type: "REFRESH", workspaceId, userId, jti: appTokenId, authProvider,
/// targetedTokenType: "ACCESS", iat, exp}`. Signed with the secret of (`REFRESH`, workspaceId); `jti` is the
/// `core."appToken"` row that rotation revokes.
public struct RefreshTokenClaims: ExpiringClaims, Equatable {
    public var sub: SubjectClaim
    public var type: String
    public var workspaceId: String
    public var userId: String
    public var jti: IDClaim
    public var authProvider: String
    public var targetedTokenType: String
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim

    /// Creates the claims of refresh token `appTokenID` of `userID` in `workspaceID`.
    public init(appTokenID: UUID, userID: UUID, workspaceID: UUID, issuedAt: Date, expiresAt: Date) {
        sub = SubjectClaim(value: userID.lowercased)
        type = TokenType.refresh.rawValue
        workspaceId = workspaceID.lowercased
        userId = userID.lowercased
        jti = IDClaim(value: appTokenID.lowercased)
        authProvider = "password"
        targetedTokenType = TokenType.access.rawValue
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: expiresAt)
    }
}

/// The payload of a login token: `{sub: email, type: "LOGIN", workspaceId, authProvider, iat, exp}`, signed with the
/// secret of (`LOGIN`, workspaceId) and exchanged by `getAuthTokensFromLoginToken`.
public struct LoginTokenClaims: ExpiringClaims, Equatable {
    public var sub: SubjectClaim
    public var type: String
    public var workspaceId: String
    public var authProvider: String
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim

    /// Creates the claims of a login token of `email` into `workspaceID`.
    public init(email: String, workspaceID: UUID, issuedAt: Date, expiresAt: Date) {
        sub = SubjectClaim(value: email)
        type = TokenType.login.rawValue
        workspaceId = workspaceID.lowercased
        authProvider = "password"
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: expiresAt)
    }
}

/// A payload whose only claim to check after the signature is `exp` (jwt-kit calls `verify` when verifying).
public protocol ExpiringClaims: JWTPayload {
    var exp: ExpirationClaim { get }
}

extension ExpiringClaims {
    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// A signed token and when it expires (Twenty's `AuthToken`).
public struct IssuedToken: Sendable, Hashable {
    public let token: String
    public let expiresAt: Date
}

/// An access and a refresh token (Twenty's `AuthTokenPair`).
public struct IssuedTokenPair: Sendable, Hashable {
    public let access: IssuedToken
    public let refresh: IssuedToken
}
