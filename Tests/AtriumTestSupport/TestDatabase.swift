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
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            try await admin.query("CREATE DATABASE \(identifier) TEMPLATE template0", logger: logger)
            do {
                let result = try await body(database, settings)
                try await admin.query("DROP DATABASE \(identifier) WITH (FORCE)", logger: logger)
                return result
            } catch {
                _ = try? await admin.query("DROP DATABASE \(identifier) WITH (FORCE)", logger: logger)
                throw error
            }
        }
    }
}
