import Foundation
import Logging

/// Creates, lists and revokes API keys, and authenticates their tokens (see `APIKeyManager+Authenticate.swift`).
///
/// ```swift
/// let apiKeys = APIKeyManager(database: database, secrets: TokenSecrets(appSecret: configuration.appSecret))
/// let created = try await apiKeys.create(workspaceID: workspace, name: "Zapier", logger: logger)
/// let auth = try await apiKeys.authenticate(token: created.token, logger: logger)   // auth.workspaceID == workspace
/// try await apiKeys.revoke(id: created.key.id, logger: logger)                      // the token fails from now on
/// ```
///
/// Verified key rows are cached in-process for ``cacheTTL`` (1 s): a revocation made through this instance
/// applies at once, one made by another instance within the TTL. See ``APIKeyCache`` for the rule.
public final class APIKeyManager: BearerTokenAuthenticator, Sendable {
    /// Twenty's default lifetime of a key created without `expiresIn`: `ms('100y')`, 100 × 365.25 days.
    public static let defaultLifetime: Duration = .seconds(100 * 365.25 * 86_400)

    let store: APIKeyStore
    let codec: TokenCodec
    let cache: APIKeyCache

    /// How long a key row read from PostgreSQL is trusted on the request path.
    public var cacheTTL: Duration { cache.ttl }

    /// Creates the manager.
    /// - Parameters:
    ///   - database: Where `core."apiKey"` lives.
    ///   - secrets: The token secret derivation (from `APP_SECRET`).
    ///   - cacheCapacity: Most key rows cached at once.
    ///   - cacheTTL: How long a cached row is trusted.
    public init(database: Database, secrets: TokenSecrets, cacheCapacity: Int = 10_000, cacheTTL: Duration = .seconds(1)) {
        self.store = APIKeyStore(database: database)
        self.codec = TokenCodec(secrets: secrets)
        self.cache = APIKeyCache(capacity: cacheCapacity, ttl: cacheTTL)
    }

    // MARK: - Management

    /// Creates a key in `workspaceID` and signs its token.
    /// - Parameters:
    ///   - workspaceID: The workspace the key acts in.
    ///   - name: A non-empty human name.
    ///   - expiresIn: The key's lifetime; ``defaultLifetime`` (100 years) when nil.
    ///   - roleID: The key's role, one of the workspace's roles assignable to API keys; the Admin role when nil.
    ///   - logger: The logger for the queries.
    /// - Throws: ``AtriumError`` `validation_failed` for an empty name or a lifetime that is not positive,
    ///   `not_found` when the workspace or the role (in this workspace) does not exist.
    public func create(workspaceID: UUID, name: String, expiresIn: Duration? = nil, roleID: UUID? = nil, logger: Logger) async throws -> CreatedAPIKey {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw AtriumError(.validationFailed, "An API key needs a name") }
        let lifetime = expiresIn ?? Self.defaultLifetime
        guard lifetime > .zero else { throw AtriumError(.validationFailed, "An API key's lifetime must be positive") }
        guard try await store.workspaceExists(workspaceID, logger: logger) else {
            throw AtriumError(.notFound, "Workspace \(workspaceID.uuidString.lowercased()) not found")
        }
        guard let role = try await store.assignableRole(roleID, workspaceID: workspaceID, logger: logger) else {
            throw AtriumError(.notFound, "Role \(roleID?.uuidString.lowercased() ?? "Admin") not found or not assignable to API keys")
        }
        // Whole seconds, so the row's expiresAt and the token's exp claim are the same instant.
        let issuedAt = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let expiresAt = issuedAt.addingTimeInterval(Double(lifetime.components.seconds))
        let key = try await store.insert(id: UUID(), name: name, workspaceID: workspaceID, expiresAt: expiresAt, roleID: role, logger: logger)
        cache.invalidate(key.id)
        return CreatedAPIKey(key: key, token: try await token(for: key, issuedAt: issuedAt))
    }

    /// Signs a token for `key` (Twenty's `generateApiKeyToken`): any number of tokens may exist for one key, and all
    /// stop working when it is revoked or expires.
    public func token(for key: APIKey, issuedAt: Date = Date()) async throws -> String {
        let claims = APIKeyClaims(apiKeyID: key.id, workspaceID: key.workspaceID, issuedAt: issuedAt, expiresAt: key.expiresAt)
        return try await codec.sign(claims, type: .apiKey, id: key.workspaceID)
    }

    /// Revokes key `id`: its tokens fail at once in this process and within ``cacheTTL`` everywhere else.
    /// Revoking a revoked key keeps its first `revokedAt`.
    /// - Parameters:
    ///   - id: The key.
    ///   - workspaceID: When given, the key must belong to this workspace.
    ///   - logger: The logger for the query.
    /// - Returns: The revoked key.
    /// - Throws: ``AtriumError`` `not_found` when there is no such (non-deleted) key.
    @discardableResult
    public func revoke(id: UUID, workspaceID: UUID? = nil, logger: Logger) async throws -> APIKey {
        defer { cache.invalidate(id) }
        guard let key = try await store.revoke(id, workspaceID: workspaceID, logger: logger) else {
            throw AtriumError(.notFound, "API key \(id.uuidString.lowercased()) not found")
        }
        return key
    }

    /// The workspace's keys that are not deleted, revoked and expired ones included, oldest first.
    public func list(workspaceID: UUID, logger: Logger) async throws -> [APIKey] {
        try await store.list(workspaceID: workspaceID, logger: logger)
    }
}
