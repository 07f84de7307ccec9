import Synchronization

/// The atomic counters behind ``RedisClientStatistics``, shared by the client, its pool and its pub/sub connection.
final class RedisStatisticsCounters: Sendable {
    let openConnections = Atomic<Int>(0)
    let commandsInFlight = Atomic<Int>(0)
    let totalCommands = Atomic<Int>(0)
    let totalFailures = Atomic<Int>(0)
    let reconnects = Atomic<Int>(0)
    let circuitOpenings = Atomic<Int>(0)

    /// A consistent-enough snapshot (each counter is read atomically).
    var snapshot: RedisClientStatistics {
        RedisClientStatistics(
            openConnections: self.openConnections.load(ordering: .relaxed),
            commandsInFlight: self.commandsInFlight.load(ordering: .relaxed),
            totalCommands: self.totalCommands.load(ordering: .relaxed),
            totalFailures: self.totalFailures.load(ordering: .relaxed),
            reconnects: self.reconnects.load(ordering: .relaxed),
            circuitOpenings: self.circuitOpenings.load(ordering: .relaxed)
        )
    }
}
