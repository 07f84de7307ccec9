import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The PostgreSQL side of the relay: takes the oldest events of `core."eventOutbox"` and deletes them once they are in
/// the stream, in one transaction, so an event leaves the outbox only after the stream has it (a crash between the two
/// relays it again: at least once). One relay works at a time, under a transaction-scoped advisory lock, so events enter
/// the stream in the order they were written.
public struct EventOutbox: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The advisory lock key of the relay.
    static let relayLock: Int64 = 0x4154_5245_4C41_5931  // "ATRELAY1"

    /// Moves up to `limit` events to `stream`; returns how many moved (0 also when another relay holds the lock).
    /// - Parameter workspace: Only this workspace's events (tests, which share one outbox); nil: all.
    /// - Throws: When PostgreSQL or the stream fails; the events then stay in the outbox.
    public func relay(to stream: any EventStream, limit: Int, workspace: UUID? = nil, logger: Logger) async throws -> Int {
        do {
            return try await move(to: stream, limit: limit, workspace: workspace, logger: logger)
        } catch let error as PostgresTransactionError {
            // The stream's own failure, rather than its transaction wrapper.
            throw error.closureError ?? error
        }
    }

    private func move(to stream: any EventStream, limit: Int, workspace: UUID?, logger: Logger) async throws -> Int {
        try await database.withTransaction(logger: logger) { connection in
            let lock = try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.relayLock))", logger: logger)
            for try await locked in lock.decode(Bool.self) where !locked { return 0 }
            let rows = try await connection.query("""
                WITH d AS (DELETE FROM core."eventOutbox" WHERE "position" IN (
                    SELECT "position" FROM core."eventOutbox" WHERE \(workspace?.lowercased)::uuid IS NULL OR "workspaceId" = \(workspace?.lowercased)::uuid
                    ORDER BY "position" LIMIT \(limit)) RETURNING *)
                SELECT "id"::text, json_build_object('id', "id", 'workspaceId', "workspaceId", 'name', "name",
                    'objectMetadataId', "objectMetadataId", 'recordId', "recordId", 'userId', "userId",
                    'workspaceMemberId', "workspaceMemberId", 'apiKeyId', "apiKeyId", 'properties', "properties",
                    'createdAt', to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text
                FROM d ORDER BY "position"
                """, logger: logger)
            var events: [OutboxEvent] = []
            for try await (id, json) in rows.decode((String, ByteBuffer).self) { events.append(OutboxEvent(id: id, json: json)) }
            if !events.isEmpty { try await stream.append(events) }
            return events.count
        }
    }

    /// How many events wait in the outbox, and the age in seconds of the oldest.
    public func backlog(logger: Logger) async throws -> (events: Int, oldestAgeSeconds: Double) {
        let rows = try await database.query("""
            SELECT count(*)::int8, COALESCE(extract(epoch FROM now() - min("createdAt")), 0)::float8 FROM core."eventOutbox"
            """, logger: logger)
        for try await (count, age) in rows.decode((Int, Double).self) { return (count, age) }
        return (0, 0)
    }
}
