/// A snapshot of a `RedisClient`'s counters, for `/metrics`.
public struct RedisClientStatistics: Sendable, Hashable {
    /// Connections currently open (pool and pub/sub).
    public var openConnections: Int
    /// Commands sent and not yet answered or failed.
    public var commandsInFlight: Int
    /// Commands issued since the client was created.
    public var totalCommands: Int
    /// Commands that failed (server error replies included) since the client was created.
    public var totalFailures: Int
    /// Connections re-established after a previous one was lost or a connect attempt failed.
    public var reconnects: Int
    /// Times the circuit opened (Redis found unreachable or silent) since the client was created.
    public var circuitOpenings: Int
}
