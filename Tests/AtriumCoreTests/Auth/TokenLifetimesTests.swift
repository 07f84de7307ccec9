import AtriumCore
import Foundation
import Testing

struct TokenLifetimesTests {
    @Test func parsesTwentysMsNotation() {
        #expect(TokenLifetimes.parse("30m") == .seconds(1800))
        #expect(TokenLifetimes.parse("60d") == .seconds(60 * 86_400))
        #expect(TokenLifetimes.parse("15m") == .seconds(900))
        #expect(TokenLifetimes.parse("1500") == .milliseconds(1500))
        #expect(TokenLifetimes.parse("2h") == .seconds(7200))
        #expect(TokenLifetimes.parse("0") == .zero)
        #expect(TokenLifetimes.parse("soon") == nil)
        #expect(TokenLifetimes.parse("-5m") == nil)
        #expect(TokenLifetimes.parse("5 parsecs") == nil)
    }

    @Test func aLifetimeBeyondInt64MillisecondsIsRefusedNotACrash() {
        #expect(TokenLifetimes.parse("99999999999999999999y") == nil)
        #expect(TokenLifetimes.parse("1" + String(repeating: "0", count: 400)) == nil)
        #expect(TokenLifetimes.parse("9007199254740992") == .milliseconds(9_007_199_254_740_992))
    }

    @Test func lifetimesAreConfigurableWithTwentysVariables() throws {
        var values: [String: String] = [
            "HOST": "127.0.0.1", "PORT": "0", "PG_DATABASE_URL": "postgres://a:b@127.0.0.1:5432/c", "PG_POOL_MAX_CONNECTIONS": "4",
            "REDIS_URL": "redis://127.0.0.1:6379", "REDIS_POOL_SIZE": "1", "APP_SECRET": String(repeating: "s", count: 32), "LOG_LEVEL": "info",
            "SHUTDOWN_TIMEOUT_SECONDS": "1", "HEALTH_CHECK_TIMEOUT_SECONDS": "1", "WORKSPACE_SPARE_SCHEMAS": "0",
            "API_RATE_LIMITING_LONG_TTL_IN_MS": "1000", "API_RATE_LIMITING_LONG_LIMIT": "0", "API_RATE_LIMITING_WORKSPACE_LIMIT": "0",
        ]
        let defaults = try AtriumConfiguration(ConfigurationValues(values)).tokenLifetimes
        #expect(defaults == .defaults)
        values["ACCESS_TOKEN_EXPIRES_IN"] = "5m"
        values["REFRESH_TOKEN_EXPIRES_IN"] = "7d"
        values["LOGIN_TOKEN_EXPIRES_IN"] = "30s"
        let configured = try AtriumConfiguration(ConfigurationValues(values)).tokenLifetimes
        #expect(configured.access == .seconds(300) && configured.refresh == .seconds(7 * 86_400) && configured.login == .seconds(30))
        values["ACCESS_TOKEN_EXPIRES_IN"] = "0"
        #expect(throws: ConfigurationError.self) { try AtriumConfiguration(ConfigurationValues(values)) }
        values["ACCESS_TOKEN_EXPIRES_IN"] = "1001y"
        #expect(throws: ConfigurationError.self) { try AtriumConfiguration(ConfigurationValues(values)) }
        values["ACCESS_TOKEN_EXPIRES_IN"] = "99999999999999999999y"
        #expect(throws: ConfigurationError.self) { try AtriumConfiguration(ConfigurationValues(values)) }
    }

    @Test func constantTimeEqualityComparesWholeStrings() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "abc\u{0}"))
        #expect(!ConstantTime.equals("", "a"))
        #expect(ConstantTime.equals("", ""))
    }
}
