import Foundation
import HummingbirdBcrypt
import JWTKit
import Logging
import PostgresNIO

/// Users signing up and in with a password, and the tokens they get (CONTRACT.md §6).
///
/// ```swift
/// let accounts = UserAccounts(database: database, secrets: TokenSecrets(appSecret: appSecret), lifetimes: .defaults,
///                             provisioner: provisioner)
/// let signedUp = try await accounts.signUp(SignUpRequest(email: "ada@example.com", password: "correct horse"), logger: logger)
/// let tokens = try await accounts.tokens(fromLoginToken: signedUp.loginToken.token, logger: logger)
/// let auth = try await accounts.authenticate(token: tokens.access.token, logger: logger)   // .member(...)
/// let renewed = try await accounts.renew(refreshToken: tokens.refresh.token, logger: logger)
/// ```
///
/// Passwords are hashed with bcrypt (cost ``bcryptCost``); tokens are HS256 JWTs whose secrets ``TokenSecrets``
/// derives per type and workspace. Refresh tokens are `core."appToken"` rows: renewing revokes the presented one
/// and issues a new pair; presenting a token revoked more than `refreshCoolDown` ago revokes every refresh token of
/// its user (reuse detection). Nothing here logs a password, a hash or a token.
public final class UserAccounts: Sendable {
    /// The bcrypt cost of stored password hashes.
    public static let bcryptCost: UInt8 = PasswordHashing.cost
    /// Twenty's rule: at least 8 characters.
    public static let minimumPasswordLength = 8

    let users: UserStore
    let appTokens: AppTokenStore
    let codec: TokenCodec
    let lifetimes: TokenLifetimes
    let provisioner: WorkspaceProvisioner?
    let database: Database
    /// Verified against when an email is unknown, so a sign-in takes as long whether or not the account exists.
    private let decoyHash = Bcrypt.hash("atrium-decoy-password", cost: UserAccounts.bcryptCost)

    /// - Parameters:
    ///   - provisioner: Creates the workspace of a sign-up without invitation; nil refuses such sign-ups.
    public init(database: Database, secrets: TokenSecrets, lifetimes: TokenLifetimes, provisioner: WorkspaceProvisioner?) {
        self.database = database
        self.users = UserStore(database: database)
        self.appTokens = AppTokenStore(database: database)
        self.codec = TokenCodec(secrets: secrets)
        self.lifetimes = lifetimes
        self.provisioner = provisioner
    }

    // MARK: - Sign-in

    /// Checks `email` and `password` and signs a login token for the workspace `workspaceHint` names (a subdomain from
    /// the client's origin), else the user's first workspace. A pending invitation of the user to that workspace is
    /// accepted on the way (Twenty's `validateLoginWithPasswordAndJoinWorkspaceIfInvited`).
    /// - Throws: ``AtriumError`` `unauthenticated` "Wrong email or password" (the same for an unknown email),
    ///   `forbidden` when the user is disabled or not a member of the workspace.
    public func loginToken(email: String, password: String, subdomain: String?, logger: Logger) async throws -> (IssuedToken, WorkspaceRecord) {
        let user = try await verifiedUser(email: email, password: password, logger: logger)
        var workspace: WorkspaceRecord?
        if let subdomain, let named = try await users.workspace(subdomain: subdomain, logger: logger) { workspace = named }
        if workspace == nil { workspace = try await users.workspaces(ofUser: user.id, logger: logger).first }
        guard let workspace else { throw AtriumError(.forbidden, "User does not have access to any workspace") }
        if try await users.membership(userID: user.id, workspace: workspace, logger: logger) == nil {
            guard let invitation = try await appTokens.invitation(email: user.email, workspaceID: workspace.id, logger: logger) else {
                throw AtriumError(.forbidden, "User does not have access to this workspace")
            }
            _ = try await join(user: user, invitation: invitation, workspace: workspace, logger: logger)
        }
        return (try await signLoginToken(email: user.email, workspaceID: workspace.id), workspace)
    }

    /// The user whose password is `password`, or `unauthenticated` (the same error for an unknown email).
    func verifiedUser(email: String, password: String, logger: Logger) async throws -> UserRecord {
        let user = try await users.user(email: email.trimmingCharacters(in: .whitespaces), logger: logger)
        let hash = user?.passwordHash ?? decoyHash
        let matches = try await PasswordHashing.verify(password, hash: hash)
        guard let user, user.passwordHash != nil, matches else { throw AtriumError(.unauthenticated, "Wrong email or password") }
        guard !user.disabled else { throw AtriumError(.forbidden, "This user is disabled") }
        return user
    }

    /// Exchanges a login token for access and refresh tokens (`getAuthTokensFromLoginToken`).
    /// - Throws: ``AtriumError`` `unauthenticated` for an invalid, expired or wrong-type token, or a user who is no
    ///   longer a member of the token's workspace.
    public func tokens(fromLoginToken token: String, logger: Logger) async throws -> IssuedTokenPair {
        let claimed = try await codec.peek(token)
        guard claimed.type == TokenType.login.rawValue, let workspaceID = claimed.workspaceId.flatMap(UUID.init(text:)) else {
            throw AtriumError.invalidToken()
        }
        let claims = try await codec.verify(token, as: LoginTokenClaims.self, type: .login, id: workspaceID)
        guard let user = try await users.user(email: claims.sub.value, logger: logger), !user.disabled,
              let workspace = try await users.workspace(id: workspaceID, logger: logger),
              let membership = try await users.membership(userID: user.id, workspace: workspace, logger: logger)
        else { throw AtriumError.invalidToken() }
        return try await issuePair(membership, logger: logger)
    }

    /// Rotates a refresh token (`renewToken`): revokes it and issues a new access and refresh token.
    ///
    /// A token revoked less than `refreshCoolDown` ago is still honoured once more (two tabs renewing at the same
    /// moment); one revoked earlier is a replayed token, and every refresh token of its user is revoked.
    /// - Throws: ``AtriumError`` `unauthenticated`: "Invalid token", "Token has expired", or "Suspicious activity
    ///   detected, this refresh token has been revoked" on reuse.
    public func renew(refreshToken token: String, logger: Logger) async throws -> IssuedTokenPair {
        let claimed = try await codec.peek(token)
        guard claimed.type == TokenType.refresh.rawValue, let workspaceID = claimed.workspaceId.flatMap(UUID.init(text:)) else {
            throw AtriumError.invalidToken()
        }
        let claims = try await codec.verify(token, as: RefreshTokenClaims.self, type: .refresh, id: workspaceID)
        guard let rowID = UUID(text: claims.jti.value), let userID = UUID(text: claims.userId),
              let row = try await appTokens.refresh(id: rowID, logger: logger), row.userID == userID, row.workspaceID == workspaceID
        else { throw AtriumError.invalidToken() }
        if let revokedAt = row.revokedAt, Date().timeIntervalSince(revokedAt) > lifetimes.refreshCoolDown.seconds {
            try await appTokens.revokeAllRefresh(userID: userID, logger: logger)
            logger.warning("refresh token reused; every refresh token of the user revoked", metadata: ["user": .string(userID.lowercased)])
            throw AtriumError(.unauthenticated, "Suspicious activity detected, this refresh token has been revoked")
        }
        guard row.expiresAt > Date() else { throw AtriumError.tokenExpired() }
        guard let workspace = try await users.workspace(id: workspaceID, logger: logger),
              let membership = try await users.membership(userID: userID, workspace: workspace, logger: logger)
        else { throw AtriumError.invalidToken() }
        if row.revokedAt == nil { _ = try await appTokens.revokeRefresh(id: rowID, logger: logger) }
        return try await issuePair(membership, logger: logger)
    }

    // MARK: - Profiles

    /// The live user `id`.
    public func user(id: UUID, logger: Logger) async throws -> UserRecord {
        guard let user = try await users.user(id: id, logger: logger) else { throw AtriumError(.notFound, "User not found") }
        return user
    }

    /// The live workspace `id`.
    public func workspace(id: UUID, logger: Logger) async throws -> WorkspaceRecord {
        guard let workspace = try await users.workspace(id: id, logger: logger) else { throw AtriumError(.notFound, "Workspace not found") }
        return workspace
    }

    // MARK: - Tokens

    func signLoginToken(email: String, workspaceID: UUID) async throws -> IssuedToken {
        let (issuedAt, expiresAt) = Self.window(lifetimes.login)
        let token = try await codec.sign(LoginTokenClaims(email: email, workspaceID: workspaceID, issuedAt: issuedAt, expiresAt: expiresAt),
                                         type: .login, id: workspaceID)
        return IssuedToken(token: token, expiresAt: expiresAt)
    }

    func issuePair(_ membership: Membership, logger: Logger) async throws -> IssuedTokenPair {
        let (issuedAt, accessExpiry) = Self.window(lifetimes.access)
        let access = try await codec.sign(AccessTokenClaims(membership, issuedAt: issuedAt, expiresAt: accessExpiry),
                                          type: .access, id: membership.workspaceID)
        let refreshExpiry = issuedAt.addingTimeInterval(lifetimes.refresh.seconds.rounded(.down))
        let rowID = UUID()
        try await appTokens.insertRefresh(id: rowID, userID: membership.userID, workspaceID: membership.workspaceID,
                                          expiresAt: refreshExpiry, logger: logger)
        let refresh = try await codec.sign(
            RefreshTokenClaims(appTokenID: rowID, userID: membership.userID, workspaceID: membership.workspaceID,
                               issuedAt: issuedAt, expiresAt: refreshExpiry),
            type: .refresh, id: membership.workspaceID)
        return IssuedTokenPair(access: IssuedToken(token: access, expiresAt: accessExpiry), refresh: IssuedToken(token: refresh, expiresAt: refreshExpiry))
    }

    /// Now in whole seconds (JWT `iat`/`exp` are whole seconds) and now + `lifetime`.
    static func window(_ lifetime: Duration) -> (Date, Date) {
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        return (now, now.addingTimeInterval(lifetime.seconds.rounded(.down)))
    }
}
