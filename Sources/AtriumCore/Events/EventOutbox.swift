import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The PostgreSQL side of the relay: takes the oldest rows of `core."eventOutbox"`, renders them as events
/// (``EventRendering``, one statement per workspace and object), appends them to the stream and deletes the rows, in
/// one transaction, so an event leaves the outbox only after the stream has it (a crash between the two relays it
/// again, with the same id: at least once). One relay works at a time, under a transaction-scoped advisory lock, so
/// events enter the stream in the order they were written.
///
/// Rows of a workspace or object that no longer exists are dropped (logged): there is nothing to render them with.
/// Rows the object's table can no longer take back (a field dropped or retyped, a SELECT option removed since the
/// write) go out with their raw images as `properties` (logged), rather than stop the relay.
public struct EventOutbox: Sendable {
    let database: Database
    let metadata: WorkspaceSchemaCache

    public init(database: Database, metadata: WorkspaceSchemaCache) {
        self.database = database
        self.metadata = metadata
    }

    /// The advisory lock key of the relay.
    static let relayLock: Int64 = 0x4154_5245_4C41_5931  // "ATRELAY1"

    /// Moves up to `limit` outbox rows to `stream`; returns how many rows it took (0 also when another relay holds the
    /// lock), including any dropped or rendering no event.
    /// - Parameter workspace: Only this workspace's events (tests, which share one outbox); nil: all.
    /// - Throws: When PostgreSQL or the stream fails; the rows then stay in the outbox.
    public func relay(to stream: any EventStream, limit: Int, workspace: UUID? = nil, logger: Logger) async throws -> Int {
        do {
            return try await move(to: stream, limit: limit, workspace: workspace, logger: logger)
        } catch let error as PostgresTransactionError {
            // The stream's own failure, rather than its transaction wrapper.
            throw error.closureError ?? error
        }
    }

    private struct Pending: Hashable {
        let workspace: UUID
        let object: UUID
    }

    private func move(to stream: any EventStream, limit: Int, workspace: UUID?, logger: Logger) async throws -> Int {
        try await database.withTransaction(logger: logger) { connection in
            // One workspace's relay (tests, each relaying its own workspace) takes no lock: waiting for it while holding a
            // pooled connection starved the pool that the lock's holder needs for metadata.
            if workspace == nil {
                let lock = try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.relayLock))", logger: logger)
                for try await locked in lock.decode(Bool.self) where !locked { return 0 }
            }
            let rows = try await connection.query("""
                SELECT "position", "workspaceId", "objectMetadataId" FROM core."eventOutbox"
                WHERE \(workspace?.lowercased)::uuid IS NULL OR "workspaceId" = \(workspace?.lowercased)::uuid
                ORDER BY "position" LIMIT \(limit)
                """, logger: logger)
            var groups: [Pending: [Int]] = [:]
            var positions: [Int] = []
            for try await (position, workspaceID, objectID) in rows.decode((Int, UUID, UUID).self) {
                groups[Pending(workspace: workspaceID, object: objectID), default: []].append(position)
                positions.append(position)
            }
            guard !positions.isEmpty else { return 0 }
            var rendered: [(position: Int, json: ByteBuffer)] = []
            for (group, members) in groups {
                guard let schema = try await schema(group.workspace, logger: logger), let object = schema.object(id: group.object) else {
                    logger.warning("dropping events of a workspace or object that no longer exists", metadata: [
                        "workspace": "\(group.workspace)", "object": "\(group.object)", "events": "\(members.count)",
                    ])
                    continue
                }
                let rendering = EventRendering(workspace: schema, object: object)
                if let all = try await render(members, with: rendering, on: connection, logger: logger) {
                    rendered += all
                    continue
                }
                // Images the table can no longer take back (a field retyped, an option removed since the write): those
                // events go out with their raw images rather than not at all, one by one to find them.
                for position in members {
                    if let one = try await render([position], with: rendering, on: connection, logger: logger) {
                        rendered += one
                        continue
                    }
                    logger.warning("an event relayed with raw images: the table no longer takes them", metadata: [
                        "workspace": "\(group.workspace)", "object": "\(group.object)", "position": "\(position)",
                    ])
                    let raw = EventRendering.raw(positions: [position])
                    for try await (position, json) in try await connection.query(raw.query, logger: logger).decode((Int, ByteBuffer).self) {
                        rendered.append((position, json))
                    }
                }
            }
            try await connection.query("DELETE FROM core.\"eventOutbox\" WHERE \"position\" = ANY(\(positions))", logger: logger)
            let events = rendered.sorted { $0.position < $1.position }.map { OutboxEvent(position: $0.position, json: $0.json) }
            if !events.isEmpty { try await stream.append(events) }
            return positions.count
        }
    }

    /// The events of the outbox rows at `positions`, rendered; nil when PostgreSQL refuses (the transaction goes on, back
    /// at the savepoint before the attempt).
    private func render(
        _ positions: [Int], with rendering: EventRendering, on connection: PostgresConnection, logger: Logger
    ) async throws -> [(position: Int, json: ByteBuffer)]? {
        let statement = try rendering.statement(positions: positions)
        try await connection.query("SAVEPOINT render", logger: logger)
        do {
            var rendered: [(position: Int, json: ByteBuffer)] = []
            for try await (position, json) in try await connection.query(statement.query, logger: logger).decode((Int, ByteBuffer).self) {
                rendered.append((position, json))
            }
            try await connection.query("RELEASE SAVEPOINT render", logger: logger)
            return rendered
        } catch is PSQLError {
            try await connection.query("ROLLBACK TO SAVEPOINT render", logger: logger)
            return nil
        }
    }

    /// The workspace's metadata; nil when the workspace is gone.
    private func schema(_ workspace: UUID, logger: Logger) async throws -> WorkspaceSchema? {
        do {
            return try await metadata.schema(for: workspace, logger: logger)
        } catch let error as AtriumError where error.code == .notFound {
            return nil
        }
    }

    /// How many events wait in the outbox, and the age in seconds of the oldest.
    public static func backlog(in database: Database, logger: Logger) async throws -> (events: Int, oldestAgeSeconds: Double) {
        let rows = try await database.query("""
            SELECT count(*)::int8, COALESCE(extract(epoch FROM now() - min("createdAt")), 0)::float8 FROM core."eventOutbox"
            """, logger: logger)
        for try await (count, age) in rows.decode((Int, Double).self) { return (count, age) }
        return (0, 0)
    }
}
