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
    /// Connections the pool opens up front and keeps open (`PG_POOL_MIN_CONNECTIONS`, at most ``maximumConnections``).
    /// Nil lets the command choose: `atrium serve` keeps its whole pool open, other commands open connections on
    /// demand. A connection above the minimum is closed after a minute idle, and the pool arms that timer every time
    /// such a connection is returned, so a server under load is cheaper with the minimum at the maximum.
    public var minimumConnections: Int?
    /// The most statement texts this process prepares, each on every connection (`PG_PREPARED_STATEMENTS`; 0: none).
    public var preparedStatementLimit: Int = 64

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
    }

    /// The postgres-nio client configuration for these settings.
    public var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = min(minimumConnections ?? 0, maximumConnections)
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

    /// The URL with its password masked, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "<unparseable>"
    }
}
