/// The kind of a JWT, as Twenty's `JwtTokenTypeEnum` names it in the token's `type` claim.
///
/// The type is part of the signing secret (see ``TokenSecrets``), so a token of one type never verifies as another.
public enum TokenType: String, Sendable, Codable, CaseIterable {
    /// A user's access token for one workspace.
    case access = "ACCESS"
    /// A refresh token (its `jti` is a `core.appToken` row).
    case refresh = "REFRESH"
    /// An access token not bound to a workspace; its secret is derived from the user id.
    case workspaceAgnostic = "WORKSPACE_AGNOSTIC"
    /// The short-lived token exchanged for access and refresh tokens after sign-in.
    case login = "LOGIN"
    /// A signed file URL token.
    case file = "FILE"
    /// An API key's token (its `jti` is a `core.apiKey` row).
    case apiKey = "API_KEY"
    /// Credentials of Twenty's PostgreSQL proxy.
    case postgresProxy = "POSTGRES_PROXY"
    /// Remote server credentials.
    case remoteServer = "REMOTE_SERVER"
    /// The key-encryption key.
    case keyEncryptionKey = "KEY_ENCRYPTION_KEY"
    /// An application's access token (newer Twenty versions).
    case applicationAccess = "APPLICATION_ACCESS"
    /// An application's refresh token (newer Twenty versions).
    case applicationRefresh = "APPLICATION_REFRESH"
    /// The state of an application's OAuth flow (newer Twenty versions).
    case appOAuthState = "APP_OAUTH_STATE"
}
