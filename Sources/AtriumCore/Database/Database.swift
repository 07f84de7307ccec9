import Foundation
import Logging
import Metrics
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The PostgreSQL pool of a process: postgres-nio's `PostgresClient`, instrumented and bounded.
///
/// Every database access of Atrium goes through here, so the pool's use is visible in `/metrics`:
/// operations in flight, their count by outcome, their duration, and the configured pool size.
/// It is a `Service`: run it in the process's `ServiceGroup` before anything queries.
///
/// Every wait is bounded (see ``OperationBounds``): an operation waits at most `PG_POOL_ACQUIRE_TIMEOUT_MS` for a
/// connection, within its workspace's share of the pool (``DatabaseScope/workspace``,
/// `PG_POOL_MAX_CONNECTIONS_PER_WORKSPACE`), and each statement runs under PostgreSQL's `statement_timeout`. A lost or
/// refused connection, a PostgreSQL shutdown and a timeout all surface as ``AtriumError`` `.unavailable` or `.timeout`
/// (503 with `Retry-After` at the edge), never as a hang. A pool stuck behind its reconnect backoff after PostgreSQL
/// returns is replaced (``PoolGenerations``).
///
/// ```swift
/// let database = Database(settings: configuration.postgres, logger: logger, metricsFactory: factory)
/// let rows = try await database.query("SELECT 1", logger: logger)
/// ```
public final class Database: Service, Sendable {
    /// The settings the pool was made from.
    public let settings: PostgresSettings
    /// The statement texts this process runs prepared.
    public let preparedStatements: PreparedStatements
    private let metrics: DatabaseMetrics
    private let pools: PoolGenerations
    private let shares: KeyedSemaphore<UUID>
    /// Record reads on libpq, unless `PG_LIBPQ_CONNECTIONS` is 0.
    private let libpq: LibpqStatementPath?

    /// Creates the pool. No connection is opened before ``run()`` and the first query.
    /// - Parameters:
    ///   - settings: Where and how to connect, and the bounds.
    ///   - logger: Background logger for the pool.
    ///   - metricsFactory: Where the pool's metrics go.
    ///   - preparedStatements: Which texts run prepared; by default up to `settings.preparedStatementLimit` of them.
    public init(settings: PostgresSettings, logger: Logger, metricsFactory: any MetricsFactory, preparedStatements: PreparedStatements? = nil) {
        self.settings = settings
        self.pools = PoolGenerations(
            configuration: settings.clientConfiguration, host: settings.host, port: settings.port,
            retireAfter: settings.acquireTimeout + settings.statementTimeout + settings.statementGrace,
            longestUse: settings.acquireTimeout + settings.ddlStatementTimeout + settings.statementGrace, logger: logger
        )
        self.metrics = DatabaseMetrics(factory: metricsFactory, maximumConnections: settings.maximumConnections)
        self.preparedStatements = preparedStatements ?? PreparedStatements(limit: settings.preparedStatementLimit)
        self.shares = KeyedSemaphore<UUID>(limit: settings.maximumConnectionsPerWorkspace)
        self.libpq = settings.libpqConnections > 0
            ? try? LibpqStatementPath(settings: settings, connections: settings.libpqConnections, logger: logger) : nil
    }

    /// Runs the pool until graceful shutdown or cancellation, then closes its connections.
    public func run() async {
        await pools.run()
        libpq?.shutdown()
    }

    /// How many times the pool was replaced because it was stuck (see ``PoolGenerations``).
    public var poolReplacements: Int { pools.replacementCount }

    /// ``firstText(_:effect:logger:)`` for a built statement: unless `PG_LIBPQ_CONNECTIONS` is 0, a read runs on libpq
    /// (``LibpqStatementPath``), within the workspace's share and counted in the pool's metrics like any operation.
    public func firstText(_ sql: SQLBuilder, effect: StatementEffect, logger: Logger) async throws -> ByteBuffer? {
        guard effect == .reads, let libpq else { return try await firstText(sql.query, effect: effect, logger: logger) }
        let token = metrics.begin()
        let workspace = DatabaseScope.workspace
        do {
            if let workspace {
                do {
                    try await shares.acquire(workspace, within: settings.acquireTimeout)
                } catch is TimeoutError {
                    // The workspace's share stayed taken as long as a pool lease may wait: its own load, answered 503.
                    throw AtriumError(.unavailable, Self.noConnectionMessage)
                }
            }
            defer { if let workspace { shares.release(workspace) } }
            let text = try await libpq.firstText(sql.text, values: sql.values, prepared: preparedStatements.use(for: sql.text))
            metrics.end(token, succeeded: true)
            return text
        } catch {
            metrics.end(token, succeeded: false)
            throw classified(error)
        }
    }

    /// Runs one statement on a pooled connection and reads all its rows.
    @discardableResult
    public func query(_ query: PostgresQuery, logger: Logger) async throws -> DatabaseRows {
        try await bounded(statementTimeout: nil, singleStatement: true, logger: logger) { connection in
            try await Self.rows(of: query, on: connection, logger: logger)
        }
    }

    /// Runs one statement that changes data and reads all its rows, once PostgreSQL confirmed its commit (it runs
    /// between `BEGIN` and `COMMIT`; see ``firstText(_:effect:logger:)`` for why a statement on its own is not enough).
    @discardableResult
    public func write(_ query: PostgresQuery, logger: Logger) async throws -> DatabaseRows {
        try await bounded(statementTimeout: nil, singleStatement: true, logger: logger) { connection in
            try await connection.withTransaction(logger: logger) { connection in
                try await Self.rows(of: query, on: connection, logger: logger)
            }
        }
    }

    /// The first column of the first row of a statement returning text (a response body rendered by PostgreSQL), as
    /// the row's bytes (no decoding into a `String`, no copy), or nil when it returns no row or NULL. A text this process keeps sending runs as a named prepared statement
    /// (``PreparedStatements``), so PostgreSQL neither parses nor plans it again on that connection.
    /// - Parameter effect: ``StatementEffect/writes`` for a statement that changes data: it runs between `BEGIN` and
    ///   `COMMIT`, and returns only once PostgreSQL confirmed the commit. (A statement on its own is committed when
    ///   PostgreSQL reads the protocol's `Sync`, after it has sent the rows; a server ending the connection in between,
    ///   as a PostgreSQL restart does, would roll back a write whose rows the client already holds.)
    public func firstText(_ query: PostgresQuery, effect: StatementEffect, logger: Logger) async throws -> ByteBuffer? {
        let use = preparedStatements.use(for: query.sql)
        let preparedStatements = preparedStatements
        return try await bounded(statementTimeout: nil, singleStatement: true, logger: logger) { connection in
            if let use, preparedStatements.mustClear(connection, before: use) {
                // The connection holds an older generation's statements: drop them before preparing this one's.
                try await connection.query("DEALLOCATE ALL", logger: logger)
            }
            let name = use?.name
            switch effect {
            case .reads:
                return try await Self.firstText(of: query, preparedAs: name, on: connection, logger: logger)
            case .writes:
                return try await connection.withTransaction(logger: logger) { connection in
                    try await Self.firstText(of: query, preparedAs: name, on: connection, logger: logger)
                }
            }
        }
    }

    /// Every row of `query`, read on `connection`.
    private static func rows(of query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> DatabaseRows {
        var rows: [PostgresRow] = []
        for try await row in try await connection.query(query, logger: logger) { rows.append(row) }
        return DatabaseRows(rows)
    }

    private static func firstText(
        of query: PostgresQuery, preparedAs name: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> ByteBuffer? {
        guard let name else {
            var first: ByteBuffer?? = nil
            for try await row in try await connection.query(query, logger: logger) where first == nil {
                first = .some(try row.decode(ByteBuffer?.self))
            }
            return first ?? nil
        }
        return try await TextPreparedStatement.$current.withValue(.init(name: name, sql: query.sql)) {
            var first: ByteBuffer?? = nil
            for try await text in try await connection.execute(TextPreparedStatement(bindings: query.binds), logger: logger)
            where first == nil {
                first = .some(text)
            }
            return first ?? nil
        }
    }

    /// Leases a connection for several statements outside a transaction.
    /// - Parameter statementTimeout: A `statement_timeout` for this work instead of the pool's (metadata DDL and
    ///   upgrade steps pass ``PostgresSettings/ddlStatementTimeout``); it is reset before the connection goes back.
    public func withConnection<Result: Sendable>(
        statementTimeout: Duration? = nil,
        logger: Logger = Database.silentLogger,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await bounded(statementTimeout: statementTimeout, singleStatement: false, logger: logger) { connection in
            guard let statementTimeout else { return try await body(connection) }
            try await connection.query(Self.setStatementTimeout(statementTimeout, local: false), logger: logger)
            do {
                let result = try await body(connection)
                try await connection.query("RESET statement_timeout", logger: logger)
                return result
            } catch {
                _ = try? await connection.query("RESET statement_timeout", logger: logger)
                throw error
            }
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// - Parameter statementTimeout: A `statement_timeout` for this transaction instead of the pool's (`SET LOCAL`).
    public func withTransaction<Result: Sendable>(
        logger: Logger,
        statementTimeout: Duration? = nil,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await bounded(statementTimeout: statementTimeout, singleStatement: false, logger: logger) { connection in
            try await connection.withTransaction(logger: logger) { connection in
                if let statementTimeout {
                    try await connection.query(Self.setStatementTimeout(statementTimeout, local: true), logger: logger)
                }
                return try await body(connection)
            }
        }
    }

    /// Replaces the pool's client now, as the probe does when the pool is stuck (for tests).
    func replacePool() { pools.replace() }

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

    /// `SET [LOCAL] statement_timeout` to `limit` (a whole number of milliseconds, so it is no bound value: `SET` takes
    /// none).
    private static func setStatementTimeout(_ limit: Duration, local: Bool) -> PostgresQuery {
        PostgresQuery(unsafeSQL: "SET \(local ? "LOCAL " : "")statement_timeout = \(PostgresSettings.milliseconds(limit))")
    }

    /// A logger that drops everything, for the connection-level helpers' own statements.
    public static let silentLogger = Logger(label: "atrium.database.silent", factory: { _ in SwiftLogNoOpLogHandler() })

    // MARK: - Bounded operations

    /// Runs `body` on a leased connection, counted and timed in the pool's metrics, within the workspace's share
    /// and the pool's bounds; errors come back classified (``classified(_:)``). A `singleStatement` operation also
    /// has its connection closed past its statement bound plus ``PostgresSettings/statementGrace`` (a silent server);
    /// a body of several statements may legitimately hold its connection longer (an advisory lock held through an
    /// upgrade), and each of its statements is bounded by PostgreSQL's `statement_timeout`, the gaps between them in a
    /// transaction by `idle_in_transaction_session_timeout`.
    private func bounded<Result: Sendable>(
        statementTimeout: Duration?,
        singleStatement: Bool,
        logger: Logger,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let token = metrics.begin()
        let workspace = DatabaseScope.workspace
        let bounds = OperationBounds(
            leaseLimit: settings.acquireTimeout,
            runLimit: singleStatement ? (statementTimeout ?? settings.statementTimeout) + settings.statementGrace : nil
        )
        let generation = pools.generation
        let watch = OperationWatch()
        let holdings = OperationHoldings()
        do {
            let result = try await watch.run(bounds: bounds) { [shares, pools] in
                defer { holdings.giveBack() }
                if let workspace {
                    try await shares.acquire(workspace)
                    guard holdings.took({ shares.release(workspace) }) else { throw CancellationError() }
                }
                watch.enteredPool()
                return try await generation.client.withConnection { connection in
                    generation.inUse.add(1, ordering: .relaxed)
                    defer { generation.inUse.subtract(1, ordering: .relaxed) }
                    guard watch.leased(connection) else { throw CancellationError() }
                    pools.noteLeased()
                    pools.held.add(1, ordering: .relaxed)
                    defer { watch.finish() }
                    guard holdings.took({ pools.held.subtract(1, ordering: .relaxed) }) else { throw CancellationError() }
                    return try await body(connection)
                }
            }
            holdings.giveBack()
            metrics.end(token, succeeded: true)
            return result
        } catch {
            // Answered at a bound or failed: whatever the operation still holds is given back now, even if it never
            // ends (see OperationHoldings).
            holdings.giveBack()
            metrics.end(token, succeeded: false)
            switch watch.phase {
            case .leaseTimedOut(let inPool):
                // A pool with free capacity that hands out nothing is stuck (PostgreSQL down, or back while the pool
                // waits out its backoff): the probe replaces it once PostgreSQL accepts connections.
                if inPool, pools.held.load(ordering: .relaxed) < settings.maximumConnections { pools.noteStuckLease() }
                throw AtriumError(.unavailable, Self.noConnectionMessage, underlying: error)
            case .runTimedOut:
                throw AtriumError(.unavailable, Self.noAnswerMessage, underlying: error)
            default:
                throw classified(error)
            }
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
