import AtriumCore
import AtriumRedis
import Logging

extension RedisMetadataStore {
    /// Runs `body` with a store over a Redis client that runs for exactly that long: how a one-shot command (the CLI)
    /// announces what it changed to every running server, through the same channels the servers use.
    ///
    /// ```swift
    /// try await RedisMetadataStore.withClient(for: configuration, logger: logger) { store in
    ///     try await APIKeyManager(database: database, secrets: secrets, sharedStore: store).revoke(id: key, logger: logger)
    /// }
    /// ```
    /// Nothing connects until the store is used; with Redis down each call fails within `REDIS_CONNECT_TIMEOUT_MS`.
    /// - Throws: ``ConfigurationError`` when `REDIS_URL` is malformed; whatever `body` throws.
    public static func withClient<Result: Sendable>(
        for configuration: AtriumConfiguration,
        logger: Logger,
        _ body: @Sendable (any MetadataSharedStore) async throws -> Result
    ) async throws -> Result {
        let client = RedisClient(configuration: try RedisConfiguration(atrium: configuration), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            return try await body(RedisMetadataStore(redis: client))
        }
    }
}
