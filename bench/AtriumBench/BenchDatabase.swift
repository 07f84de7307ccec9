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
    static func withRunning<Result: Sendable>(
        _ body: @Sendable (Database, Logger) async throws -> Result
    ) async throws -> Result {
        let logger = Self.logger
        let configuration = try AtriumConfiguration(ConfigurationValues.load())
        let database = Database(settings: configuration.postgres, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            return try await body(database, logger)
        }
    }
}
