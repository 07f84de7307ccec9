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
/// applies at once; it is also published on ``CacheKey/apiKeyInvalidations`` (when a shared store is given), so
/// every instance running ``APIKeyInvalidationService`` drops the key within milliseconds, and the TTL bounds what a
/// lost message can cost. See ``APIKeyCache`` for the rule.
public final class APIKeyManager: BearerTokenAuthenticator, Sendable {
    /// Twenty's default lifetime of a key created without `expiresIn`: `ms('100y')`, 100 × 365.25 days.
    public static let defaultLifetime: Duration = .seconds(100 * 365.25 * 86_400)

    let keys: APIKeyStore
    let codec: TokenCodec
    let cache: APIKeyCache
    /// Where revocations are announced to other instances (Redis); nil for a single process.
    let store: (any MetadataSharedStore)?

    /// How long a key row read from PostgreSQL is trusted on the request path.
    public var cacheTTL: Duration { cache.ttl }

    /// Creates the manager.
    /// - Parameters:
    ///   - database: Where `core."apiKey"` lives.
    ///   - secrets: The token secret derivation (from `APP_SECRET`).
    ///   - cacheCapacity: Most key rows cached at once.
    ///   - cacheTTL: How long a cached row is trusted.
    ///   - announcedCacheTTL: How long a cached row is trusted while every revocation and workspace status change is
    ///     announced to this process (``APIKeyInvalidationService``); at least `cacheTTL`.
    ///   - sharedStore: Where revocations are published to other instances.
    ///   - time: What the cache TTL and the tokens' and keys' expiry are checked against (the system's, but in tests).
    public init(database: Database, secrets: TokenSecrets, cacheCapacity: Int = 10_000, cacheTTL: Duration = .seconds(1),
                announcedCacheTTL: Duration = .seconds(10), sharedStore: (any MetadataSharedStore)? = nil, time: TimeSource = .system) {
        self.keys = APIKeyStore(database: database)
        self.store = sharedStore
        self.codec = TokenCodec(secrets: secrets, time: time)
        // A read is bounded by the database's own bounds already; this backstop is just past them.
        let bounds = database.settings
        self.cache = APIKeyCache(capacity: cacheCapacity, ttl: cacheTTL, announcedTTL: announcedCacheTTL,
                                 readLimit: bounds.acquireTimeout + bounds.statementTimeout + bounds.statementGrace, time: time)
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
        guard try await keys.workspaceExists(workspaceID, logger: logger) else {
            throw AtriumError(.notFound, "Workspace \(workspaceID.lowercased) not found")
        }
        guard let role = try await keys.assignableRole(roleID, workspaceID: workspaceID, logger: logger) else {
            throw AtriumError(.notFound, "Role \(roleID?.lowercased ?? "Admin") not found or not assignable to API keys")
        }
        // Whole seconds, so the row's expiresAt and the token's exp claim are the same instant.
        let issuedAt = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let expiresAt = issuedAt.addingTimeInterval(Double(lifetime.components.seconds))
        let key = try await keys.insert(id: UUID(), name: name, workspaceID: workspaceID, expiresAt: expiresAt, roleID: role, logger: logger)
        cache.invalidate(key.id)
        return CreatedAPIKey(key: key, token: try await token(for: key, issuedAt: issuedAt))
    }

    /// Signs a token for `key` (Twenty's `generateApiKeyToken`): any number of tokens may exist for one key, and all
    /// stop working when it is revoked or expires.
    /// - Parameter expiresAt: When the token expires; the key's own expiry when nil or later.
    public func token(for key: APIKey, issuedAt: Date = Date(), expiresAt: Date? = nil) async throws -> String {
        let expiry = min(expiresAt ?? key.expiresAt, key.expiresAt)
        let claims = APIKeyClaims(apiKeyID: key.id, workspaceID: key.workspaceID, issuedAt: issuedAt, expiresAt: expiry)
        return try await codec.sign(claims, type: .apiKey, id: key.workspaceID)
    }

    /// Revokes key `id`: its tokens fail at once in this process, within milliseconds in every process running
    /// ``APIKeyInvalidationService`` on the same shared store (when this manager has one), and within ``cacheTTL``
    /// everywhere else.
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
        guard let key = try await keys.revoke(id, workspaceID: workspaceID, logger: logger) else {
            throw AtriumError(.notFound, "API key \(id.lowercased) not found")
        }
        cache.invalidate(id)
        if let store {
            do {
                try await store.publish(id.lowercased, to: CacheKey.apiKeyInvalidations)
            } catch {
                logger.warning("API key revocation not announced; other instances apply it within the cache TTL",
                               metadata: ["error": "\(error)"])
            }
        }
        return key
    }

    /// The live key `id` of `workspaceID`.
    /// - Throws: ``AtriumError`` `not_found` when there is none (or it belongs to another workspace).
    public func key(id: UUID, workspaceID: UUID, logger: Logger) async throws -> APIKey {
        guard let lookup = try await keys.lookup(id, logger: logger), lookup.key.workspaceID == workspaceID, lookup.key.deletedAt == nil else {
            throw AtriumError(.notFound, "API key \(id.lowercased) not found")
        }
        return lookup.key
    }

    /// Renames key `id` of `workspaceID`.
    @discardableResult
    public func rename(id: UUID, workspaceID: UUID, name: String, logger: Logger) async throws -> APIKey {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw AtriumError(.validationFailed, "An API key needs a name") }
        guard let key = try await keys.rename(id, workspaceID: workspaceID, name: name, logger: logger) else {
            throw AtriumError(.notFound, "API key \(id.lowercased) not found")
        }
        return key
    }

    /// Forgets key `id` in this process (an announcement from another instance).
    public func invalidateCached(_ id: UUID) {
        cache.invalidate(id)
    }

    /// Forgets every key of `workspace` in this process: the workspace was suspended, activated or deleted (an
    /// announcement on ``CacheKey/workspaceStatusChanges``), and the cached lookups carry its old status.
    public func invalidateCached(workspace: UUID) {
        cache.invalidate(workspace: workspace)
    }

    /// The workspace's keys that are not deleted, revoked and expired ones included, oldest first.
    public func list(workspaceID: UUID, logger: Logger) async throws -> [APIKey] {
        try await keys.list(workspaceID: workspaceID, logger: logger)
    }
}
