import AtriumCore
import Foundation
import Logging
import Metrics
import PostgresNIO

/// A throwaway PostgreSQL database per test, for tests that change instance-wide state (`core`, upgrades).
///
/// Created from `template0` on the test server, dropped (with its connections) at the end.
public enum TestDatabase {
    /// Runs `body` against a new, empty database; drops it afterwards, also when `body` throws.
    public static func withFresh<Result: Sendable>(
        logger: Logger = Logger(label: "test.database"),
        _ body: @Sendable (Database, PostgresSettings) async throws -> Result
    ) async throws -> Result {
        let configuration = try TestEnvironment.configuration()
        let name = "atrium_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let identifier = try SQLIdentifier(String(name))
        let admin = Database(settings: configuration.postgres, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        var settings = configuration.postgres
        settings.database = String(name)
        settings.maximumConnections = 8
        let database = Database(settings: settings, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.run() }
            defer { group.cancelAll() }
            try await admin.query("CREATE DATABASE \(identifier) TEMPLATE template0", logger: logger)
            // The fresh database's pool is closed before the database is dropped: dropping it under open connections
            // (WITH FORCE kills them) left the pool's shutdown waiting forever, which hung a whole CI test run.
            let pool = Task { await database.run() }
            let outcome: Swift.Result<Result, any Error>
            do {
                outcome = .success(try await body(database, settings))
            } catch {
                outcome = .failure(error)
            }
            pool.cancel()
            await pool.value
            let drop: PostgresQuery = "DROP DATABASE \(identifier) WITH (FORCE)"
            if case .success = outcome {
                try await admin.query(drop, logger: logger)
            } else {
                _ = try? await admin.query(drop, logger: logger)  // the body's error is the one to report
            }
            return try outcome.get()
        }
    }
}
