import Foundation
import Logging

/// Atrium's typed settings, read from ``ConfigurationValues``.
///
/// Defaults live only in `config/defaults.json`; a key missing from both the file and the environment is an error.
///
/// - Configuration keys (environment variables):
///   - `HOST` (string, `0.0.0.0` in the defaults): address the HTTP server binds.
///   - `PORT` (int 0–65535; 0 picks a free port): port the HTTP server binds.
///   - `SERVER_URL` (URL, default `http://localhost:<PORT>`): the public base URL.
///   - `PG_DATABASE_URL` (`postgres://user:pass@host:port/db[?sslmode=…]`, required).
///   - `PG_POOL_MAX_CONNECTIONS` (int ≥ 1, default 16): PostgreSQL pool size per process.
///   - `PG_POOL_MIN_CONNECTIONS` (int 0–1000, optional): connections kept open; unset (0), connections open on
///     demand. Above 0 risks postgres-nio 1.33.2's restart trap (see ``PostgresSettings/minimumConnections``).
///   - `PG_POOL_ACQUIRE_TIMEOUT_MS` (int 1–600000, default 2000): the longest a request waits for a connection; then 503.
///   - `PG_STATEMENT_TIMEOUT_MS` (int, default 15000): PostgreSQL's `statement_timeout` for API requests; then 503.
///   - `PG_DDL_STATEMENT_TIMEOUT_MS` (int, default 300000): the `statement_timeout` of metadata DDL and upgrade steps.
///   - `PG_POOL_MAX_CONNECTIONS_PER_WORKSPACE` (int 1–`PG_POOL_MAX_CONNECTIONS`, default half the pool): the most
///     connections one workspace's requests hold at once.
///   - `WORKSPACE_MAX_CONCURRENT_REQUESTS` (int 1–10000, default `PG_POOL_MAX_CONNECTIONS_PER_WORKSPACE`): the most API
///     requests of one workspace the process runs at once; the others wait, up to `PG_POOL_ACQUIRE_TIMEOUT_MS`, then 503.
///   - `PG_PREPARED_STATEMENTS` (int 0–10000, default 256): the most record-read statement texts prepared at once on
///     one pooled connection; the hottest ones are kept, evicted in generations (``PreparedStatements``); 0 prepares none.
///   - `PG_LIBPQ_CONNECTIONS` (int 0–64, default 4): record reads run on libpq in pipeline mode over this many
///     connections of their own (``LibpqStatementPath``); 0 sends them through postgres-nio's pool instead.
///   - `REDIS_URL` (`redis://[[user]:password@]host:port[/db]`, required).
///   - `REDIS_POOL_SIZE` (int ≥ 1, default 2): pipelined Redis connections per process.
///   - `REDIS_COMMAND_TIMEOUT_MS` (int 1–600000, default 1000): how long a Redis reply may take; past it the command
///     fails and Redis counts as down (calls fail at once until a background reconnect succeeds).
///   - `REDIS_CONNECT_TIMEOUT_MS` (int 1–600000, default 1000): how long connecting to Redis (TCP, handshake, `PING`)
///     may take before Redis counts as down.
///   - `REDIS_RECONNECT_MAX_DELAY_MS` (int 1–600000, default 500): the longest pause between background reconnect
///     attempts while Redis is down, so how long it may be back before this process notices.
///   - `APP_SECRET` (string of at least 32 characters, required): the root of every token secret.
///   - `LOG_LEVEL` (`trace|debug|info|notice|warning|error|critical`, default `info`).
///   - `SHUTDOWN_TIMEOUT_SECONDS` (number > 0, default 10): how long in-flight requests may run after SIGTERM.
///   - `HEALTH_CHECK_TIMEOUT_SECONDS` (number > 0, default 2): how long `/healthz` waits for each dependency.
///   - `WORKSPACE_SPARE_SCHEMAS` (int 0–100, default 2): pre-built empty workspace schemas kept ready, so creating a
///     workspace renames one instead of running its DDL.
///   - `HTTP_IDLE_TIMEOUT_SECONDS` (number 0.1–86400, default 75): an HTTP connection with no request under way is
///     closed after this long (above nginx's 60 s upstream keep-alive, so the proxy closes first).
///   - `HTTP_HEADER_READ_TIMEOUT_SECONDS` (number 0.1–3600, default 10): a request head must arrive within this long
///     of its first byte.
///   - `API_KEY_CACHE_TTL_MS` (int 1–3600000, default 1000): how long an API key read from PostgreSQL is trusted in
///     process before it is read again.
///   - `EVENTS_ENABLED` (`true|false`, default true): whether record writes record their events in the outbox (for the
///     timeline, webhooks and workflows). Off only to measure what events cost.
///   - `EVENT_LOG_RETENTION_DAYS` (int 1–36500, default 90): how long the audit log keeps events.
///   - `CSV_IMPORT_MAX_BYTES` (int 1024–2147483647, default 268435456): the largest CSV file an import accepts.
///   - `CSV_IMPORT_SYNC_MAX_ROWS` (int 1–1000000, default 10000): the most rows imported in the request; larger files
///     are queued for the worker.
///   - `WEBHOOK_ALLOWED_PRIVATE_TARGETS` (`true|false`, default false): whether webhooks may target loopback, private and
///     link-local addresses (tests, private deployments).
///   - `WEBHOOK_MAX_ATTEMPTS` (int 1–100, default 10) and `WEBHOOK_RETRY_BASE_MS` (int 1–86400000, default 60000): a
///     failed delivery is tried again after base × 2.2^(attempt − 1) (at most 6 h, ±20%), up to that many attempts.
///   - `WORKER_METRICS_PORT` (int 0–65535, default 0: none): where `atrium worker` serves `/metrics` and `/livez` (on
///     `HOST`).
///   - `WORKER_ABANDONED_AFTER_MS` (int 100–3600000, default 30000): how long a worker may hold an event without
///     acknowledging it before another worker takes it over (a worker killed mid-stream).
public struct AtriumConfiguration: Sendable {
    /// Address the HTTP server binds.
    public var host: String
    /// Port the HTTP server binds (0 picks a free one, for tests).
    public var port: Int
    /// Public base URL of this server.
    public var serverURL: String
    /// PostgreSQL connection settings.
    public var postgres: PostgresSettings
    /// The `REDIS_URL` string; the Redis client parses it.
    public var redisURL: String
    /// Number of Redis connections in the pool.
    public var redisPoolSize: Int
    /// How long a Redis reply may take (`REDIS_COMMAND_TIMEOUT_MS`, default 1 s).
    public var redisCommandTimeout: Duration
    /// How long connecting to Redis may take (`REDIS_CONNECT_TIMEOUT_MS`, default 1 s).
    public var redisConnectTimeout: Duration
    /// The longest pause between reconnect attempts while Redis is down (`REDIS_RECONNECT_MAX_DELAY_MS`, default 500 ms).
    public var redisReconnectMaximumDelay: Duration
    /// The application secret every token secret is derived from.
    public var appSecret: String
    /// Minimum level of log lines.
    public var logLevel: Logger.Level
    /// Bound on graceful shutdown.
    public var shutdownTimeout: Duration
    /// How long `/healthz` waits for PostgreSQL and Redis.
    public var healthCheckTimeout: Duration
    /// Pre-built workspace schemas to keep ready.
    public var workspaceSpareSchemas: Int
    /// API rate limits.
    public var rateLimit: RateLimitSettings
    /// The deepest selection a GraphQL operation may make (`GRAPHQL_MAX_DEPTH`, default 15).
    public var graphQLMaximumDepth: Int
    /// The most fields a GraphQL operation may select (`GRAPHQL_MAX_NODES`, default 2000).
    public var graphQLMaximumNodes: Int
    /// User token lifetimes (`ACCESS_TOKEN_EXPIRES_IN`, …; see ``TokenLifetimes``).
    public var tokenLifetimes: TokenLifetimes
    /// Sign-in throttling (`LOGIN_ATTEMPTS_*`; see ``LoginThrottleSettings``).
    public var loginThrottle: LoginThrottleSettings
    /// How long an API key lookup is trusted in process (`API_KEY_CACHE_TTL_MS`, default 1 s).
    public var apiKeyCacheTTL: Duration
    /// The most API requests of one workspace run at once (`WORKSPACE_MAX_CONCURRENT_REQUESTS`; by default the
    /// workspace's share of the pool, which its requests could not exceed in the database anyway). On 2 cores, 4
    /// isolated other workspaces no better than 8 (`bench/noisy-neighbor`) and cost one workspace's findOne at 16
    /// connections a third of its throughput (`bench/rest`).
    public var workspaceMaximumConcurrentRequests: Int
    /// How long an HTTP connection may stay open with no request under way (`HTTP_IDLE_TIMEOUT_SECONDS`, default 75).
    public var httpIdleTimeout: Duration = .seconds(75)
    /// How long a request head may take to arrive once its first byte has (`HTTP_HEADER_READ_TIMEOUT_SECONDS`,
    /// default 10).
    public var httpHeaderReadTimeout: Duration = .seconds(10)
    /// Whether record writes record their events (`EVENTS_ENABLED`, default true).
    public var eventsEnabled = true
    /// How long an unacknowledged event stays with its worker before another takes it (`WORKER_ABANDONED_AFTER_MS`).
    public var workerAbandonedAfter: Duration = .seconds(30)
    /// Whether webhooks may target private addresses (`WEBHOOK_ALLOWED_PRIVATE_TARGETS`, default false).
    public var webhookAllowsPrivateTargets = false
    /// The most attempts of one webhook delivery (`WEBHOOK_MAX_ATTEMPTS`, default 10).
    public var webhookMaximumAttempts = 10
    /// The first retry's pause (`WEBHOOK_RETRY_BASE_MS`, default 60 s).
    public var webhookRetryBase: Duration = .seconds(60)
    /// Where `atrium worker` serves `/metrics` (`WORKER_METRICS_PORT`; 0: nowhere).
    public var workerMetricsPort = 0
    /// How many days the audit log keeps events (`EVENT_LOG_RETENTION_DAYS`, default 90).
    public var eventLogRetentionDays = 90
    /// The largest CSV file an import accepts (`CSV_IMPORT_MAX_BYTES`, default 256 MiB).
    public var csvImportMaxBytes = 256 * 1024 * 1024
    /// The most rows imported in the request (`CSV_IMPORT_SYNC_MAX_ROWS`, default 10,000); larger files are queued.
    public var csvImportSyncMaxRows = 10_000

    /// Reads and validates every setting.
    /// - Throws: ``ConfigurationError`` naming the first variable that is missing or malformed.
    public init(_ values: ConfigurationValues) throws(ConfigurationError) {
        host = try values.required("HOST", expected: "an address to bind, such as 0.0.0.0 or 127.0.0.1")
        port = try values.integer("PORT", in: 0...65535)
        serverURL = try values.url("SERVER_URL") ?? "http://localhost:\(port)"
        postgres = try PostgresSettings(
            url: values.required("PG_DATABASE_URL", expected: "a URL of the form postgres://user:password@host:port/database"),
            maximumConnections: values.integer("PG_POOL_MAX_CONNECTIONS", in: 1...1000)
        )
        if values["PG_POOL_MIN_CONNECTIONS"] != nil { postgres.minimumConnections = try values.integer("PG_POOL_MIN_CONNECTIONS", in: 0...1000) }
        if values["PG_POOL_ACQUIRE_TIMEOUT_MS"] != nil {
            postgres.acquireTimeout = .milliseconds(try values.integer("PG_POOL_ACQUIRE_TIMEOUT_MS", in: 1...600_000))
        }
        if values["PG_STATEMENT_TIMEOUT_MS"] != nil {
            postgres.statementTimeout = .milliseconds(try values.integer("PG_STATEMENT_TIMEOUT_MS", in: 1...86_400_000))
        }
        if values["PG_DDL_STATEMENT_TIMEOUT_MS"] != nil {
            postgres.ddlStatementTimeout = .milliseconds(try values.integer("PG_DDL_STATEMENT_TIMEOUT_MS", in: 1...86_400_000))
        }
        if values["PG_POOL_MAX_CONNECTIONS_PER_WORKSPACE"] != nil {
            postgres.maximumConnectionsPerWorkspace = try values.integer("PG_POOL_MAX_CONNECTIONS_PER_WORKSPACE", in: 1...postgres.maximumConnections)
        }
        workspaceMaximumConcurrentRequests = try values["WORKSPACE_MAX_CONCURRENT_REQUESTS"] == nil
            ? postgres.maximumConnectionsPerWorkspace : values.integer("WORKSPACE_MAX_CONCURRENT_REQUESTS", in: 1...10_000)
        if values["PG_PREPARED_STATEMENTS"] != nil { postgres.preparedStatementLimit = try values.integer("PG_PREPARED_STATEMENTS", in: 0...10000) }
        if values["PG_LIBPQ_CONNECTIONS"] != nil { postgres.libpqConnections = try values.integer("PG_LIBPQ_CONNECTIONS", in: 0...64) }
        redisURL = try values.required("REDIS_URL", expected: "a URL of the form redis://[[user]:password@]host:port[/db]")
        redisPoolSize = try values.integer("REDIS_POOL_SIZE", in: 1...64)
        redisCommandTimeout = try values.milliseconds("REDIS_COMMAND_TIMEOUT_MS", default: 1000, in: 1...600_000)
        redisConnectTimeout = try values.milliseconds("REDIS_CONNECT_TIMEOUT_MS", default: 1000, in: 1...600_000)
        redisReconnectMaximumDelay = try values.milliseconds("REDIS_RECONNECT_MAX_DELAY_MS", default: 500, in: 1...600_000)
        appSecret = try values.required("APP_SECRET", expected: "a random string of at least 32 characters (openssl rand -hex 32)")
        guard appSecret.utf8.count >= 32 else {
            throw ConfigurationError(variable: "APP_SECRET", expected: "a random string of at least 32 characters (openssl rand -hex 32)", given: "\(appSecret.utf8.count) characters")
        }
        logLevel = try values.logLevel("LOG_LEVEL")
        let seconds = try values.number("SHUTDOWN_TIMEOUT_SECONDS", in: 0.001...3600)
        shutdownTimeout = .milliseconds(Int64(seconds * 1000))
        let healthSeconds = try values.number("HEALTH_CHECK_TIMEOUT_SECONDS", in: 0.001...600)
        healthCheckTimeout = .milliseconds(Int64(healthSeconds * 1000))
        workspaceSpareSchemas = try values.integer("WORKSPACE_SPARE_SCHEMAS", in: 0...100)
        rateLimit = RateLimitSettings(
            window: .milliseconds(try values.integer("API_RATE_LIMITING_LONG_TTL_IN_MS", in: 1...86_400_000)),
            perCaller: try values.integer("API_RATE_LIMITING_LONG_LIMIT", in: 0...100_000_000),
            perWorkspace: try values.integer("API_RATE_LIMITING_WORKSPACE_LIMIT", in: 0...100_000_000)
        )
        graphQLMaximumDepth = try values["GRAPHQL_MAX_DEPTH"] == nil ? 15 : values.integer("GRAPHQL_MAX_DEPTH", in: 2...100)
        graphQLMaximumNodes = try values["GRAPHQL_MAX_NODES"] == nil ? 2_000 : values.integer("GRAPHQL_MAX_NODES", in: 1...100_000)
        let defaults = TokenLifetimes.defaults
        tokenLifetimes = TokenLifetimes(
            access: try values.lifetime("ACCESS_TOKEN_EXPIRES_IN", default: defaults.access),
            refresh: try values.lifetime("REFRESH_TOKEN_EXPIRES_IN", default: defaults.refresh),
            login: try values.lifetime("LOGIN_TOKEN_EXPIRES_IN", default: defaults.login),
            refreshCoolDown: try values.lifetime("REFRESH_TOKEN_COOL_DOWN", default: defaults.refreshCoolDown, allowsZero: true),
            invitation: try values.lifetime("INVITATION_TOKEN_EXPIRES_IN", default: defaults.invitation)
        )
        loginThrottle = LoginThrottleSettings(
            perEmail: try values["LOGIN_ATTEMPTS_PER_EMAIL"] == nil ? 10 : values.integer("LOGIN_ATTEMPTS_PER_EMAIL", in: 0...1_000_000),
            perIP: try values["LOGIN_ATTEMPTS_PER_IP"] == nil ? 50 : values.integer("LOGIN_ATTEMPTS_PER_IP", in: 0...1_000_000),
            window: .milliseconds(try values["LOGIN_ATTEMPTS_TTL_IN_MS"] == nil ? 900_000 : values.integer("LOGIN_ATTEMPTS_TTL_IN_MS", in: 1...86_400_000))
        )
        apiKeyCacheTTL = .milliseconds(try values["API_KEY_CACHE_TTL_MS"] == nil ? 1_000 : values.integer("API_KEY_CACHE_TTL_MS", in: 1...3_600_000))
        if values["HTTP_IDLE_TIMEOUT_SECONDS"] != nil {
            httpIdleTimeout = .milliseconds(Int64(try values.number("HTTP_IDLE_TIMEOUT_SECONDS", in: 0.1...86_400) * 1000))
        }
        if values["HTTP_HEADER_READ_TIMEOUT_SECONDS"] != nil {
            httpHeaderReadTimeout = .milliseconds(Int64(try values.number("HTTP_HEADER_READ_TIMEOUT_SECONDS", in: 0.1...3_600) * 1000))
        }
        eventsEnabled = try values.boolean("EVENTS_ENABLED", default: true)
        if values["WEBHOOK_MAX_ATTEMPTS"] != nil { webhookMaximumAttempts = try values.integer("WEBHOOK_MAX_ATTEMPTS", in: 1...100) }
        webhookRetryBase = try values.milliseconds("WEBHOOK_RETRY_BASE_MS", default: 60_000, in: 1...86_400_000)
        webhookAllowsPrivateTargets = try values.boolean("WEBHOOK_ALLOWED_PRIVATE_TARGETS", default: false)
        if values["WORKER_METRICS_PORT"] != nil { workerMetricsPort = try values.integer("WORKER_METRICS_PORT", in: 0...65535) }
        if values["EVENT_LOG_RETENTION_DAYS"] != nil { eventLogRetentionDays = try values.integer("EVENT_LOG_RETENTION_DAYS", in: 1...36_500) }
        if values["CSV_IMPORT_MAX_BYTES"] != nil { csvImportMaxBytes = try values.integer("CSV_IMPORT_MAX_BYTES", in: 1024...2_147_483_647) }
        if values["CSV_IMPORT_SYNC_MAX_ROWS"] != nil { csvImportSyncMaxRows = try values.integer("CSV_IMPORT_SYNC_MAX_ROWS", in: 1...1_000_000) }
        workerAbandonedAfter = try values.milliseconds("WORKER_ABANDONED_AFTER_MS", default: 30_000, in: 100...3_600_000)
    }
}

// MARK: - Typed readers

extension ConfigurationValues {
    func required(_ key: String, expected: String) throws(ConfigurationError) -> String {
        guard let value = self[key] else { throw ConfigurationError(variable: key, expected: expected) }
        return value
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        let text = try required(key, expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: key, expected: "an integer from \(range.lowerBound) to \(range.upperBound)", given: text)
        }
        return value
    }

    /// The integer `key` as milliseconds, `defaultValue` when it is unset.
    func milliseconds(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(ConfigurationError) -> Duration {
        .milliseconds(self[key] == nil ? defaultValue : try integer(key, in: range))
    }

    /// `true`/`false` (also `1`/`0`), `defaultValue` when unset.
    func boolean(_ key: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let text = self[key] else { return defaultValue }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw ConfigurationError(variable: key, expected: "true or false", given: text)
        }
    }

    func number(_ key: String, in range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
        let text = try required(key, expected: "a number from \(range.lowerBound) to \(range.upperBound)")
        guard let value = Double(text), range.contains(value) else {
            throw ConfigurationError(variable: key, expected: "a number from \(range.lowerBound) to \(range.upperBound)", given: text)
        }
        return value
    }

    func url(_ key: String) throws(ConfigurationError) -> String? {
        guard let text = self[key] else { return nil }
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              ["http", "https"].contains(scheme.lowercased()), components.host?.isEmpty == false
        else {
            throw ConfigurationError(variable: key, expected: "an http(s) URL such as https://crm.example.com", given: text)
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    func lifetime(_ key: String, default value: Duration, allowsZero: Bool = false) throws(ConfigurationError) -> Duration {
        guard let text = self[key] else { return value }
        // At most 1,000 years: an expiry past that is no date a token or PostgreSQL carries.
        guard let duration = TokenLifetimes.parse(text), allowsZero || duration > .zero, duration <= .seconds(1_000 * 31_557_600) else {
            throw ConfigurationError(variable: key, expected: "a duration such as 30m, 60d, 15m or milliseconds, at most 1000y", given: text)
        }
        return duration
    }

    func logLevel(_ key: String) throws(ConfigurationError) -> Logger.Level {
        let names = Logger.Level.allCases.map(\.rawValue).joined(separator: "|")
        let text = try required(key, expected: "one of \(names)")
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ConfigurationError(variable: key, expected: "one of \(names)", given: text)
        }
        return level
    }
}
