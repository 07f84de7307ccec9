import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite struct AtriumConfigurationTests {
    /// The repository's defaults with the three settings that have none.
    func values(_ overrides: [String: String] = [:]) throws -> ConfigurationValues {
        var environment = [
            "ATRIUM_CONFIG_FILE": TestEnvironment.packageRoot.appendingPathComponent("config/defaults.json").path,
            "APP_SECRET": TestEnvironment.fallbackAppSecret,
        ]
        for (key, value) in overrides { environment[key] = value }
        return try ConfigurationValues.load(environment: environment)
    }

    @Test func defaultsFileProvidesEverySettingButTheSecret() throws {
        let configuration = try AtriumConfiguration(values())
        #expect(configuration.port == 3000)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.serverURL == "http://localhost:3000")
        #expect(configuration.postgres.maximumConnections == 16)
        #expect(configuration.postgres.minimumConnections == nil)
        #expect(configuration.postgres.clientConfiguration.options.minimumConnections == 0)
        #expect(configuration.postgres.clientConfiguration.options.keepAliveBehavior == nil)
        #expect(configuration.redisPoolSize == 2)
        #expect(configuration.logLevel == .info)
        #expect(configuration.shutdownTimeout == .seconds(10))
    }

    @Test func environmentOverridesDefaults() throws {
        let configuration = try AtriumConfiguration(values([
            "PORT": "8080", "LOG_LEVEL": "DEBUG", "SERVER_URL": "https://crm.example.com/", "PG_POOL_MAX_CONNECTIONS": "4",
        ]))
        #expect(configuration.port == 8080)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.serverURL == "https://crm.example.com")
        #expect(configuration.postgres.maximumConnections == 4)
    }

    @Test func thePoolsMinimumIsCappedByItsMaximum() throws {
        let kept = try AtriumConfiguration(values(["PG_POOL_MAX_CONNECTIONS": "8", "PG_POOL_MIN_CONNECTIONS": "3"]))
        #expect(kept.postgres.minimumConnections == 3)
        #expect(kept.postgres.clientConfiguration.options.minimumConnections == 3)
        let capped = try AtriumConfiguration(values(["PG_POOL_MAX_CONNECTIONS": "4", "PG_POOL_MIN_CONNECTIONS": "10"]))
        #expect(capped.postgres.clientConfiguration.options.minimumConnections == 4)
    }

    @Test(arguments: [
        ("PORT", "abc", "PORT must be an integer from 0 to 65535 (got \"abc\")"),
        ("PORT", "70000", "PORT must be an integer from 0 to 65535 (got \"70000\")"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be one of trace|debug|info|notice|warning|error|critical (got \"loud\")"),
        ("SERVER_URL", "crm.example.com", "SERVER_URL must be an http(s) URL such as https://crm.example.com (got \"crm.example.com\")"),
        ("REDIS_POOL_SIZE", "0", "REDIS_POOL_SIZE must be an integer from 1 to 64 (got \"0\")"),
        ("PG_POOL_MIN_CONNECTIONS", "-1", "PG_POOL_MIN_CONNECTIONS must be an integer from 0 to 1000 (got \"-1\")"),
    ])
    func malformedValueNamesTheVariableAndItsForm(key: String, value: String, message: String) throws {
        let raw = try values([key: value])
        let error = #expect(throws: ConfigurationError.self) { try AtriumConfiguration(raw) }
        #expect(error?.description == message)
    }

    @Test func missingSecretIsNamed() throws {
        var raw = try values().values
        raw["APP_SECRET"] = nil
        #expect(throws: ConfigurationError(variable: "APP_SECRET", expected: "a random string of at least 32 characters (openssl rand -hex 32)")) {
            try AtriumConfiguration(ConfigurationValues(raw))
        }
    }

    @Test func shortSecretIsRefusedWithoutEchoingIt() throws {
        let raw = try values(["APP_SECRET": "tooshort"])
        let error = #expect(throws: ConfigurationError.self) { try AtriumConfiguration(raw) }
        #expect(error?.variable == "APP_SECRET")
        #expect(error?.description.contains("tooshort") == false)
    }

    @Test func missingDefaultsFileIsNamed() {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationValues.load(environment: ["ATRIUM_CONFIG_FILE": "/nonexistent/defaults.json"])
        }
    }
}
