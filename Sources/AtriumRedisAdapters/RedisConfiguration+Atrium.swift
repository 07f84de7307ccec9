import AtriumCore
import AtriumRedis
import NIOCore

extension RedisConfiguration {
    /// The Redis client settings of an Atrium process: `REDIS_URL`, `REDIS_POOL_SIZE`, `REDIS_COMMAND_TIMEOUT_MS`,
    /// `REDIS_CONNECT_TIMEOUT_MS` and `REDIS_RECONNECT_MAX_DELAY_MS`, as ``AtriumConfiguration`` validated them.
    /// - Throws: ``ConfigurationError`` when `REDIS_URL` is malformed.
    public init(atrium configuration: AtriumConfiguration) throws(ConfigurationError) {
        do {
            self = try RedisConfiguration(url: configuration.redisURL)
        } catch {
            throw ConfigurationError(variable: "REDIS_URL", expected: "a URL of the form redis://[[user]:password@]host:port[/db]")
        }
        poolSize = configuration.redisPoolSize
        commandTimeout = TimeAmount(configuration.redisCommandTimeout)
        connectTimeout = TimeAmount(configuration.redisConnectTimeout)
        maximumReconnectDelay = TimeAmount(configuration.redisReconnectMaximumDelay)
    }
}
