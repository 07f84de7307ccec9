import Foundation
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
    /// Handles a batch of events in stream order, all or none: throwing leaves them to ``handle(_:logger:)`` one by one
    /// (so one event that fails does not hold back the others). The default handles them one by one.
    func handle(batch events: [RecordEvent], logger: Logger) async throws
}

extension EventConsumer {
    public func handle(batch events: [RecordEvent], logger: Logger) async throws {
        for event in events { try await handle(event, logger: logger) }
    }
}

/// Which events a consumer has handled (`core."eventConsumption"`).
public enum EventConsumption {
    /// Records on `connection` (in the caller's transaction) that `consumer` handled `events`; the ones it had not
    /// handled before, whose effects the caller then makes.
    public static func record(_ consumer: String, _ events: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> Set<UUID> {
        let rows = try await connection.query("""
            INSERT INTO core."eventConsumption" ("consumer", "eventId") SELECT \(consumer), unnest(\(events))
            ON CONFLICT DO NOTHING RETURNING "eventId"
            """, logger: logger)
        var fresh = Set<UUID>()
        for try await id in rows.decode(UUID.self) { fresh.insert(id) }
        return fresh
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
    public static let all = ["timeline", "eventlog", "webhooks", "navigation"]
}
