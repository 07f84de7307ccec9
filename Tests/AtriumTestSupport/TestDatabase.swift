import AtriumCore
import Foundation
import Logging
import Metrics
import PostgresNIO
import Synchronization

/// A throwaway PostgreSQL database per test, for tests that change instance-wide state (`core`, upgrades).
///
/// Created from `template0` on the test server, dropped (with its connections) at the end.
public enum TestDatabase {
    /// Runs `body` against a new, empty database; drops it afterwards, also when `body` throws.
    ///
    /// The database is created and dropped over a connection of its own, opened for that one statement: a pool kept
    /// idle while the body ran was one of the two places a whole test run once stopped making progress (no
    /// connection open, nothing failing). The other, the fresh database's pool not finishing its shutdown, is bounded:
    /// after ``poolShutdownLimit`` the test goes on, says so on the log, and the drop (`WITH (FORCE)`) closes what the
    /// pool left open.
    public static func withFresh<Result: Sendable>(
        logger: Logger = Logger(label: "test.database"),
        _ body: @Sendable (Database, PostgresSettings) async throws -> Result
    ) async throws -> Result {
        let configuration = try TestEnvironment.configuration()
        let name = "atrium_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let identifier = try SQLIdentifier(String(name))
        try await administer("CREATE DATABASE \(identifier) TEMPLATE template0", settings: configuration.postgres, logger: logger)
        var settings = configuration.postgres
        settings.database = String(name)
        settings.maximumConnections = 8
        let database = Database(settings: settings, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        let pool = Task { await database.run() }
        let outcome: Swift.Result<Result, any Error>
        do {
            outcome = .success(try await body(database, settings))
        } catch {
            outcome = .failure(error)
        }
        pool.cancel()
        if await !finishes(pool, within: poolShutdownLimit) {
            logger.error("the pool of test database \(name) did not shut down within \(poolShutdownLimit) of its cancellation; dropping the database anyway")
        }
        let drop: PostgresQuery = "DROP DATABASE \(identifier) WITH (FORCE)"
        if case .success = outcome {
            try await administer(drop, settings: configuration.postgres, logger: logger)
        } else {
            _ = try? await administer(drop, settings: configuration.postgres, logger: logger)  // the body's error is the one to report
        }
        return try outcome.get()
    }

    /// How long a fresh database's pool may take to close once cancelled.
    static let poolShutdownLimit = Duration.seconds(30)

    /// Runs one statement on the server's main database over a connection opened for it and closed after.
    static func administer(_ statement: PostgresQuery, settings: PostgresSettings, logger: Logger) async throws {
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: .disable
        )
        configuration.options.connectTimeout = .seconds(10)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        do {
            try await connection.query(statement, logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    /// Whether `task` ends within `limit`; it is left running when it does not.
    static func finishes(_ task: Task<Void, Never>, within limit: Duration) async -> Bool {
        let outcome = FirstOutcome()
        return await withCheckedContinuation { continuation in
            outcome.wait(continuation)
            let timer = Task {
                try? await Task.sleep(for: limit)
                outcome.resume(false)
            }
            Task {
                await task.value
                outcome.resume(true)
                timer.cancel()
            }
        }
    }

    /// Resumes a continuation with the first of several racing outcomes.
    private final class FirstOutcome: Sendable {
        private let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)
        func wait(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation.withLock { $0 = continuation } }
        func resume(_ value: Bool) { continuation.withLock { $0.take() }?.resume(returning: value) }
    }
}
