import AtriumCore
import Logging
import Metrics

/// The database a bench works on, from the environment (`PG_DATABASE_URL`, …), with a quiet logger.
enum BenchDatabase {
    /// A logger that prints only errors, so the bench's own lines stay readable.
    static var logger: Logger {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        return logger
    }

    /// Runs `body` with a running ``Database`` (its pool service started before and cancelled after).
    /// - Parameter settings: Instead of the environment's PostgreSQL settings.
    static func withRunning<Result: Sendable>(
        settings: PostgresSettings? = nil, _ body: @Sendable (Database, Logger) async throws -> Result
    ) async throws -> Result {
        let logger = Self.logger
        let settings = try settings ?? AtriumConfiguration(ConfigurationValues.load()).postgres
        let database = Database(settings: settings, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            return try await body(database, logger)
        }
    }
}
