import AtriumCore
import AtriumRedisAdapters

extension CommandEnvironment {
    /// Runs `body` with a running PostgreSQL pool (``withDatabase(_:)``) and the shared store the servers subscribe to
    /// (Redis, `REDIS_URL`), so a change the command makes — a revoked key, a suspended workspace — is announced to
    /// every running server at once, exactly as a server announces its own changes.
    ///
    /// With Redis down the change still commits; the announcement fails within `REDIS_CONNECT_TIMEOUT_MS`, is logged,
    /// and servers apply the change within their cache TTL instead.
    func withDatabaseAndAnnouncements<Result: Sendable>(
        _ body: @Sendable (Database, any MetadataSharedStore) async throws -> Result
    ) async throws -> Result {
        do {
            return try await RedisMetadataStore.withClient(for: configuration, logger: logger) { store in
                try await withDatabase { database in try await body(database, store) }
            }
        } catch let error as ConfigurationError {
            Self.exitWithConfigurationError(error)
        }
    }
}
