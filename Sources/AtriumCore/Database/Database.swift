import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle

/// The PostgreSQL pool of a process: postgres-nio's `PostgresClient`, instrumented.
///
/// Every database access of Atrium goes through here, so the pool's use is visible in `/metrics`:
/// operations in flight, their count by outcome, their duration, and the configured pool size.
/// It is a `Service`: run it in the process's `ServiceGroup` before anything queries.
///
/// ```swift
/// let database = Database(settings: configuration.postgres, logger: logger, metricsFactory: factory)
/// let rows = try await database.query("SELECT 1", logger: logger)
/// ```
public final class Database: Service, Sendable {
    /// The underlying pool, for code that needs postgres-nio's full API.
    public let client: PostgresClient
    /// The settings the pool was made from.
    public let settings: PostgresSettings
    /// The statement texts this process runs prepared.
    public let preparedStatements: PreparedStatements
    private let metrics: DatabaseMetrics

    /// Creates the pool. No connection is opened before ``run()`` and the first query.
    /// - Parameters:
    ///   - settings: Where and how to connect.
    ///   - logger: Background logger for the pool.
    ///   - metricsFactory: Where the pool's metrics go.
    public init(settings: PostgresSettings, logger: Logger, metricsFactory: any MetricsFactory) {
        self.settings = settings
        self.client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
        self.metrics = DatabaseMetrics(factory: metricsFactory, maximumConnections: settings.maximumConnections)
        self.preparedStatements = PreparedStatements(limit: settings.preparedStatementLimit)
    }

    /// Runs the pool until graceful shutdown or cancellation, then closes its connections.
    public func run() async {
        await client.run()
    }

    /// Runs one statement on a pooled connection.
    public func query(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try await measured { try await client.query(query, logger: logger) }
    }

    /// The first column of the first row of a statement returning text (a response body rendered by PostgreSQL), or
    /// nil when it returns no row or NULL. A text this process keeps sending runs as a named prepared statement
    /// (``PreparedStatements``), so PostgreSQL neither parses nor plans it again on that connection.
    public func firstText(_ query: PostgresQuery, logger: Logger) async throws -> String? {
        guard let name = preparedStatements.name(for: query.sql) else {
            for try await row in try await self.query(query, logger: logger) { return try row.decode(String?.self) }
            return nil
        }
        return try await measured {
            try await TextPreparedStatement.$current.withValue(.init(name: name, sql: query.sql)) {
                let rows = try await client.execute(TextPreparedStatement(bindings: query.binds), logger: logger)
                for try await text in rows { return text }
                return nil
            }
        }
    }

    /// Runs one database operation, counted and timed in the pool's metrics.
    private func measured<Result: Sendable>(_ operation: () async throws -> Result) async throws -> Result {
        let token = metrics.begin()
        do {
            let result = try await operation()
            metrics.end(token, succeeded: true)
            return result
        } catch {
            metrics.end(token, succeeded: false)
            throw Self.classified(error)
        }
    }

    /// Leases a connection for several statements outside a transaction.
    public func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        let token = metrics.begin()
        do {
            let result = try await client.withConnection(isolation: isolation, body)
            metrics.end(token, succeeded: true)
            return result
        } catch {
            metrics.end(token, succeeded: false)
            throw Self.classified(error)
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func withTransaction<Result>(
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        let token = metrics.begin()
        do {
            let result = try await client.withTransaction(logger: logger, isolation: isolation, body)
            metrics.end(token, succeeded: true)
            return result
        } catch {
            metrics.end(token, succeeded: false)
            throw Self.classified(error)
        }
    }

    /// Whether PostgreSQL answers `SELECT 1` within `timeout`.
    public func isReachable(timeout: Duration, logger: Logger) async -> Bool {
        do {
            try await withTimeout(timeout) {
                for try await _ in try await self.query("SELECT 1", logger: logger) {}
            }
            return true
        } catch {
            logger.debug("PostgreSQL health check failed", metadata: ["error": "\(String(reflecting: error))"])
            return false
        }
    }
}

/// The pool's metrics, created once per ``Database``.
struct DatabaseMetrics: Sendable {
    let inFlight: Meter
    let succeeded: Counter
    let failed: Counter
    let duration: Metrics.Timer
    let maximumConnections: Gauge

    init(factory: any MetricsFactory, maximumConnections: Int) {
        inFlight = Meter(label: "atrium_db_operations_in_flight", factory: factory)
        succeeded = Counter(label: "atrium_db_operations_total", dimensions: [("outcome", "success")], factory: factory)
        failed = Counter(label: "atrium_db_operations_total", dimensions: [("outcome", "failure")], factory: factory)
        duration = Metrics.Timer(label: "atrium_db_operation_duration_seconds", factory: factory)
        self.maximumConnections = Gauge(label: "atrium_db_pool_max_connections", factory: factory)
        self.maximumConnections.record(maximumConnections)
    }

    /// Marks an operation as started.
    func begin() -> ContinuousClock.Instant {
        inFlight.increment()
        return .now
    }

    /// Marks an operation started at `start` as finished.
    func end(_ start: ContinuousClock.Instant, succeeded: Bool) {
        inFlight.decrement()
        (succeeded ? self.succeeded : failed).increment()
        duration.recordNanoseconds(start.duration(to: .now).nanoseconds)
    }
}
