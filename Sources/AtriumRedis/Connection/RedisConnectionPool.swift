import Logging
import NIOCore
import Synchronization

/// A small fixed set of pipelined connections, used round-robin.
///
/// Each slot reconnects on demand (see ``RedisConnectionSlot``); while a slot is down, commands go to another live slot.
/// While the circuit is open (``RedisCircuitBreaker``), no connection is handed out.
final class RedisConnectionPool: Sendable {
    private let slots: [RedisConnectionSlot]
    private let nextSlot = Atomic<Int>(0)
    private let breaker: RedisCircuitBreaker

    init(
        configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger, counters: RedisStatisticsCounters,
        breaker: RedisCircuitBreaker
    ) {
        self.breaker = breaker
        self.slots = (0..<max(1, configuration.poolSize)).map { _ in
            RedisConnectionSlot(
                configuration: configuration, eventLoop: eventLoopGroup.next(), logger: logger, counters: counters, breaker: breaker
            )
        }
    }

    /// A live connection, preferring the round-robin slot, else any live slot, else connecting the round-robin slot.
    /// - Throws: ``RedisError`` `.unavailable` at once while the circuit is open, or if Redis cannot be reached;
    ///   `.shutdown` after ``shutdown()``.
    func connection() async throws -> RedisConnection {
        try self.breaker.check()
        let start = self.nextSlot.wrappingAdd(1, ordering: .relaxed).newValue & Int.max
        for offset in 0..<self.slots.count {
            if let connection = self.slots[(start &+ offset) % self.slots.count].currentConnection {
                return connection
            }
        }
        return try await self.slots[start % self.slots.count].connection()
    }

    /// Closes every connection; later commands fail with `.shutdown`.
    func shutdown() {
        for slot in self.slots { slot.shutdown() }
    }
}
