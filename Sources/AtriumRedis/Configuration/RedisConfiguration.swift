import NIOCore

/// Where and how `RedisClient` connects.
///
/// Usually built from the `REDIS_URL` environment variable:
/// ```swift
/// let configuration = try RedisConfiguration(url: environment["REDIS_URL"] ?? "redis://127.0.0.1:6379")
/// ```
/// `AUTH` (when a password is set) and `SELECT` (when `database` is not 0) are sent on every new connection.
public struct RedisConfiguration: Sendable, Hashable {
    /// Host name or IP address. Default `127.0.0.1`.
    public var host: String
    /// TCP port. Default 6379.
    public var port: Int
    /// ACL user name (Redis 6+); `nil` sends `AUTH password` only.
    public var username: String?
    /// Password for `AUTH`; `nil` sends no `AUTH`.
    public var password: String?
    /// Database index for `SELECT`. Default 0.
    public var database: Int
    /// Number of pooled command connections (pub/sub uses one more, dedicated). Default 2.
    public var poolSize: Int
    /// How long a command may wait for its reply. Default 5 s.
    public var commandTimeout: TimeAmount
    /// How long connecting (TCP + AUTH + SELECT) may take. Default 3 s.
    public var connectTimeout: TimeAmount
    /// Delay before the first reconnect attempt after a failure; doubles per failure up to ``maximumReconnectDelay``. Default 50 ms.
    public var reconnectBaseDelay: TimeAmount
    /// Upper bound of the reconnect backoff. Default 2 s.
    public var maximumReconnectDelay: TimeAmount

    /// Creates a configuration.
    /// - Parameters:
    ///   - host: Host name or IP address.
    ///   - port: TCP port.
    ///   - username: ACL user name, if any.
    ///   - password: Password, if any.
    ///   - database: Database index.
    ///   - poolSize: Number of pooled command connections (at least 1).
    ///   - commandTimeout: Reply timeout per command.
    ///   - connectTimeout: Timeout for establishing a connection.
    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        poolSize: Int = 2,
        commandTimeout: TimeAmount = .seconds(5),
        connectTimeout: TimeAmount = .seconds(3)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.poolSize = max(1, poolSize)
        self.commandTimeout = commandTimeout
        self.connectTimeout = connectTimeout
        self.reconnectBaseDelay = .milliseconds(50)
        self.maximumReconnectDelay = .seconds(2)
    }

    /// The reconnect delay after `failures` consecutive failed attempts (0 for none).
    func reconnectDelay(afterFailures failures: Int) -> TimeAmount {
        guard failures > 0 else { return .zero }
        let shift = min(failures - 1, 16)
        let delay = self.reconnectBaseDelay.nanoseconds << shift
        return .nanoseconds(min(delay, self.maximumReconnectDelay.nanoseconds))
    }
}
