import AtriumCore
import Foundation

/// The services integration tests run against, from the environment `./scripts/test` exports.
///
/// A missing `PG_DATABASE_URL` or `REDIS_URL` is an error, never a skip: a suite that silently tests
/// nothing would let CI pass.
public enum TestEnvironment {
    /// A fixed 64-character secret for tests that do not get one from the environment.
    public static let fallbackAppSecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"

    /// The secret the application under test signs tokens with: `APP_SECRET` from the environment (as
    /// `./scripts/test` exports it), else ``fallbackAppSecret``. Tests that mint tokens must use this one.
    public static var appSecret: String {
        let value = ProcessInfo.processInfo.environment["APP_SECRET"] ?? ""
        return value.isEmpty ? fallbackAppSecret : value
    }

    /// The folder of the package (where `config/` and `.build/` live).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// The value of a required environment variable.
    /// - Throws: ``MissingServiceError`` naming the variable and how to get it.
    public static func required(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw MissingServiceError(variable: name)
        }
        return value
    }

    /// Configuration values for an application under test: the repository's defaults, the test services from the
    /// environment, port 0, and any `overrides`.
    public static func configurationValues(_ overrides: [String: String] = [:]) throws -> ConfigurationValues {
        var environment = ProcessInfo.processInfo.environment
        environment["ATRIUM_CONFIG_FILE"] = packageRoot.appendingPathComponent("config/defaults.json").path
        environment["PG_DATABASE_URL"] = try required("PG_DATABASE_URL")
        environment["REDIS_URL"] = try required("REDIS_URL")
        environment["APP_SECRET"] = appSecret
        environment["PORT"] = "0"
        environment["HOST"] = "127.0.0.1"
        environment["WORKSPACE_SPARE_SCHEMAS"] = "0"
        // Each test application opens its libpq connections at its first read: two, not four, keep a parallel run's
        // hundreds of applications within PostgreSQL's max_connections.
        if environment["PG_LIBPQ_CONNECTIONS"] == nil { environment["PG_LIBPQ_CONNECTIONS"] = "2" }
        // A parallel debug test run on 2 cores can take seconds to open a first connection.
        environment["HEALTH_CHECK_TIMEOUT_SECONDS"] = "6"
        // The same run can take seconds to lease a connection; the bound tests set their own.
        environment["PG_POOL_ACQUIRE_TIMEOUT_MS"] = "30000"
        // Hundreds of tests creating workspaces at once wait on each other's locks far longer than a request should.
        environment["PG_STATEMENT_TIMEOUT_MS"] = "120000"
        // Nor may a slow Redis answer in a loaded run open the circuit of tests that are not about it.
        environment["REDIS_COMMAND_TIMEOUT_MS"] = "5000"
        environment["REDIS_CONNECT_TIMEOUT_MS"] = "5000"
        // Tests send bursts from one key; the rate-limit tests turn limits on explicitly.
        environment["API_RATE_LIMITING_LONG_LIMIT"] = "0"
        environment["API_RATE_LIMITING_WORKSPACE_LIMIT"] = "0"
        for (key, value) in overrides { environment[key] = value }
        return try ConfigurationValues.load(environment: environment)
    }

    /// Validated configuration for an application under test; see ``configurationValues(_:)``.
    public static func configuration(_ overrides: [String: String] = [:]) throws -> AtriumConfiguration {
        try AtriumConfiguration(configurationValues(overrides))
    }
}

/// An integration test was run without the services it needs.
public struct MissingServiceError: Error, CustomStringConvertible {
    public let variable: String
    public var description: String {
        "\(variable) is not set: integration tests need real PostgreSQL and Redis. Run ./scripts/test, "
            + "or ./scripts/services start and export the lines it prints."
    }
}
