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
    /// How long a command may wait for its reply (`REDIS_COMMAND_TIMEOUT_MS`). Default 1 s. A timeout closes the
    /// connection and opens the client's circuit: later calls fail at once until Redis answers again.
    public var commandTimeout: TimeAmount
    /// How long connecting (TCP, then `AUTH`, `SELECT` and `PING` answered) may take (`REDIS_CONNECT_TIMEOUT_MS`).
    /// Default 1 s. A failed connect opens the client's circuit.
    public var connectTimeout: TimeAmount
    /// Delay before the first background reconnect attempt once the circuit has opened; doubles per failed attempt up
    /// to ``maximumReconnectDelay``. Default 50 ms.
    public var reconnectBaseDelay: TimeAmount
    /// Upper bound of the background reconnect backoff (`REDIS_RECONNECT_MAX_DELAY_MS`), so how long Redis may be back
    /// before the client notices (plus one connect). Default 500 ms.
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
        commandTimeout: TimeAmount = .seconds(1),
        connectTimeout: TimeAmount = .seconds(1)
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
        self.maximumReconnectDelay = .milliseconds(500)
    }

    /// The delay before a background reconnect attempt after `failures` consecutive failures (0 for none).
    func reconnectDelay(afterFailures failures: Int) -> TimeAmount {
        guard failures > 0 else { return .zero }
        let shift = min(failures - 1, 16)
        let delay = self.reconnectBaseDelay.nanoseconds << shift
        return .nanoseconds(min(delay, self.maximumReconnectDelay.nanoseconds))
    }
}
