import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The audit log (`core."eventLog"`): every record event, kept ``retentionDays`` days, read newest first by the
/// workspace's security administrators, filtered by object, record, actor and time.
public struct EventLog: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// What to read: every given condition must hold.
    public struct Query: Sendable {
        /// Events of this object (its singular name).
        public var objectName: String?
        /// Exactly this event name (`company.updated`).
        public var name: String?
        public var recordID: UUID?
        public var workspaceMemberID: UUID?
        public var userID: UUID?
        public var apiKeyID: UUID?
        /// Events at or after this time.
        public var since: Date?
        /// Events before this time.
        public var until: Date?
        /// Events older than this event (the previous page's `endCursor`).
        public var cursor: UUID?
        /// At most this many (1–500, default 50).
        public var limit = 50

        public init() {}
    }

    /// The most events one page may hold.
    public static let maximumLimit = 500

    /// `{"data":{"eventLogs":[…]},"pageInfo":{"hasNextPage":…,"endCursor":…}}` for `workspace`'s events matching
    /// `query`, newest first, rendered by PostgreSQL.
    public func read(_ query: Query, workspace: UUID, logger: Logger) async throws -> ByteBuffer {
        guard (1...Self.maximumLimit).contains(query.limit) else {
            throw AtriumError(.badRequest, "limit must be between 1 and \(Self.maximumLimit)")
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var sql = SQLBuilder()
        sql.append("WITH page AS (SELECT * FROM core.\"eventLog\" WHERE \"workspaceId\" = ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid")
        func condition(_ column: String, _ value: String?, cast: String) {
            guard let value else { return }
            sql.append(" AND \"\(column)\" = ")
            sql.bind(value)
            sql.append("::\(cast)")
        }
        condition("name", query.name, cast: "text")
        condition("recordId", query.recordID?.lowercased, cast: "uuid")
        condition("workspaceMemberId", query.workspaceMemberID?.lowercased, cast: "uuid")
        condition("userId", query.userID?.lowercased, cast: "uuid")
        condition("apiKeyId", query.apiKeyID?.lowercased, cast: "uuid")
        if let objectName = query.objectName {
            sql.append(" AND \"name\" LIKE ")
            sql.bind(objectName.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + ".%")
        }
        if let since = query.since {
            sql.append(" AND \"createdAt\" >= ")
            sql.bind(formatter.string(from: since))
            sql.append("::timestamptz")
        }
        if let until = query.until {
            sql.append(" AND \"createdAt\" < ")
            sql.bind(formatter.string(from: until))
            sql.append("::timestamptz")
        }
        if let cursor = query.cursor {
            sql.append(" AND \"id\" < ")
            sql.bind(cursor.lowercased)
            sql.append("::uuid")
        }
        sql.append(" ORDER BY \"id\" DESC LIMIT ")
        sql.bind(query.limit + 1)
        sql.append("), shown AS (SELECT * FROM page ORDER BY \"id\" DESC LIMIT ")
        sql.bind(query.limit)
        sql.append(") SELECT json_build_object('data', json_build_object('eventLogs', COALESCE((SELECT json_agg(json_build_object(")
        sql.append("'id', s.\"id\", 'name', s.\"name\", 'objectMetadataId', s.\"objectMetadataId\", 'recordId', s.\"recordId\", ")
        sql.append("'workspaceMemberId', s.\"workspaceMemberId\", 'userId', s.\"userId\", 'apiKeyId', s.\"apiKeyId\", ")
        sql.append("'properties', s.\"properties\", 'createdAt', to_char(s.\"createdAt\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')) ")
        sql.append("ORDER BY s.\"id\" DESC) FROM shown s), '[]'::json)), 'pageInfo', json_build_object(")
        sql.append("'hasNextPage', (SELECT count(*) FROM page) > ")
        sql.bind(query.limit)
        sql.append(", 'endCursor', (SELECT \"id\" FROM shown ORDER BY \"id\" LIMIT 1)))::text")
        guard let text = try await database.firstText(sql, effect: .reads, logger: logger) else {
            throw AtriumError(.internalError, "The event log query returned nothing")
        }
        return text
    }

    /// Keeps `events` in the log, in one statement (each once, however often it is delivered); their properties go to
    /// PostgreSQL as the raw JSON they came as.
    public func keep(_ events: [RecordEvent], logger: Logger) async throws {
        func optional(_ id: UUID?) -> String { id?.lowercased ?? "" }
        try await database.query("""
            INSERT INTO core."eventLog" ("id", "workspaceId", "name", "objectMetadataId", "recordId", "userId", "workspaceMemberId",
                "apiKeyId", "properties", "createdAt")
            SELECT e."id", e."workspaceId", e."name", e."objectMetadataId", e."recordId", NULLIF(e."userId", '')::uuid,
                NULLIF(e."workspaceMemberId", '')::uuid, NULLIF(e."apiKeyId", '')::uuid, e."properties"::jsonb, e."createdAt"::timestamptz
            FROM unnest(\(events.map(\.id)), \(events.map(\.workspaceId)), \(events.map(\.name)), \(events.map(\.objectMetadataId)),
                \(events.map(\.recordId)), \(events.map { optional($0.userId) }), \(events.map { optional($0.workspaceMemberId) }),
                \(events.map { optional($0.apiKeyId) }), \(events.map(\.propertiesJSON)), \(events.map(\.createdAt)))
                AS e("id", "workspaceId", "name", "objectMetadataId", "recordId", "userId", "workspaceMemberId", "apiKeyId",
                     "properties", "createdAt")
            ON CONFLICT ("id") DO NOTHING
            """, logger: logger)
    }

    /// Drops events older than `days` days, and the consumption records of the same age; returns how many events.
    @discardableResult
    public func prune(olderThanDays days: Int, logger: Logger) async throws -> Int {
        var deleted = 0
        let rows = try await database.query("""
            WITH d AS (DELETE FROM core."eventLog" WHERE "createdAt" < now() - make_interval(days => \(days)::int4) RETURNING 1)
            SELECT count(*)::int8 FROM d
            """, logger: logger)
        for try await count in rows.decode(Int.self) { deleted = count }
        try await EventConsumption.prune(olderThanDays: days, in: database, logger: logger)
        return deleted
    }
}

/// Keeps every record event in the audit log (``EventLog``).
public struct EventLogConsumer: EventConsumer {
    public let name = "eventlog"
    let log: EventLog

    public init(database: Database) {
        self.log = EventLog(database: database)
    }

    public func handle(_ event: RecordEvent, logger: Logger) async throws {
        try await log.keep([event], logger: logger)
    }

    public func handle(batch events: [RecordEvent], logger: Logger) async throws {
        try await log.keep(events, logger: logger)
    }
}
