import Logging
import PostgresNIO

/// A consumer of record events: one consumer group of the stream, run by `atrium worker` (``EventConsumerLoop``).
///
/// Events arrive at least once (a worker that dies before acknowledging hands its entries to another), so a consumer
/// makes each effect happen once: a PostgreSQL effect commits with its ``EventConsumption`` row.
public protocol EventConsumer: Sendable {
    /// The consumer group's name, also the consumer's key in `core."eventConsumption"`.
    var name: String { get }
    /// Handles one event. Throwing leaves the event unacknowledged: it is delivered again later.
    func handle(_ event: RecordEvent, logger: Logger) async throws
}

/// Which events a consumer has handled (`core."eventConsumption"`).
public enum EventConsumption {
    /// Runs `effect` in one transaction with the record that `consumer` handled `event`, unless it already had: each
    /// effect happens once, however often the event is delivered. Returns whether `effect` ran.
    @discardableResult
    public static func once(
        _ consumer: String, _ event: RecordEvent, in database: Database, logger: Logger,
        _ effect: @escaping @Sendable (PostgresConnection) async throws -> Void
    ) async throws -> Bool {
        try await database.withTransaction(logger: logger) { connection in
            let rows = try await connection.query("""
                INSERT INTO core."eventConsumption" ("consumer", "eventId") VALUES (\(consumer), \(event.id))
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger)
            var first = false
            for try await _ in rows { first = true }
            guard first else { return false }
            try await effect(connection)
            return true
        }
    }

    /// Drops the records of events consumed before `days` days ago.
    public static func prune(olderThanDays days: Int, in database: Database, logger: Logger) async throws {
        try await database.query("""
            DELETE FROM core."eventConsumption" WHERE "consumedAt" < now() - make_interval(days => \(days)::int4)
            """, logger: logger)
    }
}

/// The consumer groups `atrium worker` runs, by name (for `/healthz`).
public enum EventConsumerGroups {
    public static let all = ["timeline", "eventlog", "webhooks"]
}
