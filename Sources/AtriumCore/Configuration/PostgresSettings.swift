import Foundation
import NIOSSL
import PostgresNIO

/// PostgreSQL settings parsed from `PG_DATABASE_URL`, `PG_POOL_MAX_CONNECTIONS` and `PG_POOL_MIN_CONNECTIONS`.
///
/// Accepts `postgres://` and `postgresql://` URLs with percent-encoded user and password, a default port of
/// 5432, and libpq's `sslmode` (`disable`, `allow`, `prefer` (default), `require`, `verify-ca`, `verify-full`).
public struct PostgresSettings: Sendable {
    /// How TLS is negotiated, following libpq's `sslmode`.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// Upper bound of pooled connections in this process.
    public var maximumConnections: Int
    /// Connections the pool opens up front and keeps open (`PG_POOL_MIN_CONNECTIONS`, below ``maximumConnections``).
    /// Nil opens connections on demand; a connection idle for ``connectionIdleTimeout`` is closed.
    ///
    /// postgres-nio 1.33.2 traps (`precondition(minimumConcurrentConnections <= stats.active)` in
    /// `PoolStateMachine.ConnectionGroup.createNewDemandConnectionIfPossible`) when a lease arrives while fewer
    /// connections are open than the minimum, which is what a PostgreSQL restart leaves behind: failed reconnects are
    /// dropped, not counted (upstream vapor/postgres-nio #479, #657). Three crashes in ~50 restarts under load with the
    /// minimum at the maximum. Only a minimum of 0 cannot trip it, so that is the default; a minimum above 0 is taken
    /// as asked, at that risk.
    public var minimumConnections: Int?
    /// How long an idle connection above the minimum stays open (five minutes).
    public var connectionIdleTimeout: Duration = .seconds(300)
    /// The longest an operation waits for a pooled connection (`PG_POOL_ACQUIRE_TIMEOUT_MS`, default 2000 ms).
    public var acquireTimeout: Duration = .seconds(2)
    /// PostgreSQL's `statement_timeout` on every pooled connection (`PG_STATEMENT_TIMEOUT_MS`, default 15000 ms).
    public var statementTimeout: Duration = .seconds(15)
    /// The `statement_timeout` of metadata DDL and upgrade steps (`PG_DDL_STATEMENT_TIMEOUT_MS`, default 300000 ms).
    public var ddlStatementTimeout: Duration = .seconds(300)
    /// How long past its statement bound an operation may hold a connection that stopped answering before Atrium
    /// closes it (PostgreSQL itself ends a statement at `statement_timeout`; this bounds a silent server or network).
    public var statementGrace: Duration = .seconds(2)
    /// The most pooled connections one workspace's requests hold at once (`PG_POOL_MAX_CONNECTIONS_PER_WORKSPACE`;
    /// default: half the pool, at least 1).
    public var maximumConnectionsPerWorkspace: Int
    /// The most statement texts prepared at once on one connection (`PG_PREPARED_STATEMENTS`; 0: none). The hottest
    /// texts are kept, in generations (``PreparedStatements``). PostgreSQL holds about 80 KB per findOne text.
    public var preparedStatementLimit: Int = 256
    /// The connections of the libpq record-read path (`PG_LIBPQ_CONNECTIONS`, default 4), besides the pool's; 0: record
    /// reads go through postgres-nio's pool like every other statement. See ``LibpqStatementPath``.
    public var libpqConnections: Int = 4

    private static let expectedForm = "a URL of the form postgres://user:password@host:port/database[?sslmode=disable|prefer|require|verify-ca|verify-full]"

    /// Parses a `PG_DATABASE_URL`.
    /// - Throws: ``ConfigurationError`` naming `PG_DATABASE_URL` when the URL is malformed.
    public init(url: String, maximumConnections: Int) throws(ConfigurationError) {
        let invalid = ConfigurationError(variable: "PG_DATABASE_URL", expected: Self.expectedForm, given: Self.redacted(url))
        guard let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql",
              let host = components.host, !host.isEmpty,
              let username = components.user, !username.isEmpty
        else { throw invalid }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty, !database.contains("/") else { throw invalid }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                throw ConfigurationError(
                    variable: "PG_DATABASE_URL",
                    expected: "an sslmode of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))",
                    given: item.value ?? ""
                )
            }
            sslMode = mode
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = username
        self.password = components.password
        self.database = database
        self.sslMode = sslMode
        self.maximumConnections = maximumConnections
        self.maximumConnectionsPerWorkspace = max(1, maximumConnections / 2)
    }

    /// The postgres-nio client configuration for these settings.
    public var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = min(minimumConnections ?? 0, maximumConnections)
        configuration.options.connectionIdleTimeout = connectionIdleTimeout
        // Every statement is bounded by PostgreSQL itself; a transaction left open (a client gone mid-way) is ended.
        configuration.options.additionalStartupParameters = [
            ("statement_timeout", "\(Self.milliseconds(statementTimeout))"),
            ("idle_in_transaction_session_timeout", "\(Self.milliseconds(statementTimeout + statementGrace))"),
        ]
        // No keep-alive query on idle connections (Twenty's node-postgres pool sends none either): postgres-nio arms
        // its timer each time a connection is returned, a cost on every query. A connection the server or the network
        // closed leaves the pool when its channel closes.
        configuration.options.keepAliveBehavior = nil
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    private var tls: PostgresClient.Configuration.TLS {
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable:
            return .disable
        case .allow, .prefer:
            tlsConfiguration.certificateVerification = .none
            return .prefer(tlsConfiguration)
        case .require:
            tlsConfiguration.certificateVerification = .none
            return .require(tlsConfiguration)
        case .verifyCA:
            tlsConfiguration.certificateVerification = .noHostnameVerification
            return .require(tlsConfiguration)
        case .verifyFull:
            tlsConfiguration.certificateVerification = .fullVerification
            return .require(tlsConfiguration)
        }
    }

    /// A duration as whole milliseconds, for PostgreSQL settings (at least 1: 0 would mean no limit).
    static func milliseconds(_ duration: Duration) -> Int64 {
        max(1, duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// The URL with its password masked, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "<unparseable>"
    }
}
