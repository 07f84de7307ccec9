@testable import AtriumRedis
import NIOCore
import Testing

struct RedisConfigurationURLTests {
    @Test func hostAndPort() throws {
        let configuration = try RedisConfiguration(url: "redis://127.0.0.1:6390")
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 6390)
        #expect(configuration.username == nil)
        #expect(configuration.password == nil)
        #expect(configuration.database == 0)
        #expect(configuration.poolSize == 2)
    }

    @Test func defaultsPortAndAcceptsTrailingSlash() throws {
        let configuration = try RedisConfiguration(url: "redis://cache.internal/")
        #expect(configuration.host == "cache.internal")
        #expect(configuration.port == 6379)
        #expect(configuration.database == 0)
    }

    @Test func passwordOnlyAndDatabase() throws {
        let configuration = try RedisConfiguration(url: "redis://:s3cr%40t@redis:6380/3")
        #expect(configuration.host == "redis")
        #expect(configuration.port == 6380)
        #expect(configuration.username == nil)
        #expect(configuration.password == "s3cr@t")
        #expect(configuration.database == 3)
    }

    @Test func usernameAndPassword() throws {
        let configuration = try RedisConfiguration(url: "redis://app:p:w@10.0.0.5:7000/0")
        #expect(configuration.username == "app")
        #expect(configuration.password == "p:w")
        #expect(configuration.host == "10.0.0.5")
        #expect(configuration.port == 7000)
    }

    @Test func ipv6Host() throws {
        let configuration = try RedisConfiguration(url: "redis://[::1]:6379/1")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 6379)
        #expect(configuration.database == 1)
    }

    @Test(arguments: [
        "", "127.0.0.1:6379", "http://localhost:6379", "rediss://localhost:6379", "redis://", "redis://:6379",
        "redis://localhost:abc", "redis://localhost:0", "redis://localhost:70000", "redis://localhost:6379/x",
        "redis://localhost:6379/-1", "redis://user@localhost", "redis://[::1:6379", "redis://localhost:6379?db=1",
        "redis://:%zz@localhost",
    ])
    func invalidURLsNameREDIS_URLAndTheForm(url: String) {
        #expect {
            try RedisConfiguration(url: url)
        } throws: { error in
            guard let error = error as? RedisError else { return false }
            return error.code == .invalidURL && error.message.contains("REDIS_URL")
                && error.message.contains("redis://[[username]:password@]host")
        }
    }

    @Test func backoffGrowsAndIsCapped() {
        let configuration = RedisConfiguration()
        #expect(configuration.reconnectDelay(afterFailures: 0) == .zero)
        #expect(configuration.reconnectDelay(afterFailures: 1) == .milliseconds(50))
        #expect(configuration.reconnectDelay(afterFailures: 2) == .milliseconds(100))
        // Capped low, so the client notices within about half a second that Redis is back.
        #expect(configuration.reconnectDelay(afterFailures: 5) == .milliseconds(500))
        #expect(configuration.reconnectDelay(afterFailures: 30) == .milliseconds(500))
    }

    @Test func timeoutsDefaultToOneSecond() {
        let configuration = RedisConfiguration()
        #expect(configuration.commandTimeout == .seconds(1))
        #expect(configuration.connectTimeout == .seconds(1))
    }
}
