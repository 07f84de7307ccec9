import Foundation
import Logging
import PostgresNIO

/// Writes record events to `timelineActivity`, as Twenty's timeline does:
/// - one row per event on the record's timeline (`target<Object>Id`), named as the event, with properties `{diff}`
///   (`{}` for a creation); destroyed records get none;
/// - an event of the same record, name and workspace member within 10 minutes of the last such row is merged into it
///   (each field keeps its first `before` and takes the latest `after`) rather than added;
/// - a note's or task's event also goes on its targets' timelines as `linked-note.<action>` / `linked-task.<action>`
///   with the note's title cached, and so does a `noteTarget`/`taskTarget` event (on the record it links);
/// - system objects are skipped (but `noteTarget` and `taskTarget`), and so are objects not audit-logged and objects
///   the timeline has no target column for.
///
/// Each event's rows commit with its ``EventConsumption`` record: delivered twice, it is written once. A batch of events
/// is written in one transaction.
public struct TimelineConsumer: EventConsumer {
    public let name = "timeline"
    let database: Database
    let metadata: WorkspaceSchemaCache

    public init(database: Database, metadata: WorkspaceSchemaCache) {
        self.database = database
        self.metadata = metadata
    }

    /// One row to write or merge.
    struct Row: Sendable {
        var name: String
        var targetColumn: String
        /// The table of the record the row goes on.
        var targetTable: String
        var targetID: UUID
        /// Raw JSON: `{}`, or `{"diff": …}` with the event's diff as it came.
        var properties: String
        var linkedRecordID: UUID?
        var linkedObjectMetadataID: UUID?
        /// The linked note's or task's title; for a `noteTarget`/`taskTarget` event, read from the note when written.
        var linkedRecordCachedName: CachedName?
    }

    enum CachedName: Sendable {
        case text(String?)
        /// The `title` of this record of `table`.
        case titleOf(table: String, id: UUID)
    }

    public func handle(_ event: RecordEvent, logger: Logger) async throws {
        try await handle(batch: [event], logger: logger)
    }

    /// The events' rows with their ``EventConsumption`` records (events already handled are skipped), in stream order
    /// per record, so that merges within the batch see the rows before them. The batch is split by the record whose
    /// timeline rows an event merges with (rows of one record never land in two parts), and the parts are written side
    /// by side, a transaction each.
    public func handle(batch events: [RecordEvent], logger: Logger) async throws {
        var parts = Array(repeating: [Plan](), count: Self.parallelParts)
        for event in events {
            guard let plan = try await plan(event, logger: logger) else { continue }
            let key = plan.rows.first.map { $0.linkedRecordID ?? $0.targetID } ?? event.recordId
            parts[abs(key.hashValue % Self.parallelParts)].append(plan)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for plans in parts where !plans.isEmpty {
                group.addTask { try await write(plans, logger: logger) }
            }
            try await group.waitForAll()
        }
    }

    /// How many transactions one batch is written in at once.
    static let parallelParts = 4

    /// Writes `plans` in one transaction, each event once (even when the batch holds it twice).
    private func write(_ plans: [Plan], logger: Logger) async throws {
        try await database.withTransaction(logger: logger) { connection in
            var fresh = try await EventConsumption.record(name, plans.map(\.event.id), on: connection, logger: logger)
            for plan in plans where fresh.remove(plan.event.id) != nil {
                try await apply(plan, on: connection, logger: logger)
            }
        }
    }

    /// What one event writes: its rows, and for a note's or task's event the link table whose rows add more.
    struct Plan: Sendable {
        let event: RecordEvent
        let schema: WorkspaceSchema
        let object: WorkspaceSchema.Object
        let rows: [Row]
        let linkTable: WorkspaceSchema.Object?
        let targets: [(column: RecordColumn, target: WorkspaceSchema.Object)]
        let record: JSONValue
    }

    /// The rows `event` goes to, from the workspace's metadata; nil when it goes to none.
    private func plan(_ event: RecordEvent, logger: Logger) async throws -> Plan? {
        guard let action = event.action, action != .destroyed else { return nil }
        let schema: WorkspaceSchema
        do {
            schema = try await metadata.schema(for: event.workspaceId, logger: logger)
        } catch let error as AtriumError where error.code == .notFound || error.code == .unauthenticated {
            return nil  // the workspace is gone
        }
        guard let object = schema.object(id: event.objectMetadataId), object.isAuditLogged,
              let timeline = schema.object(nameSingular: "timelineActivity"),
              case .morph(let targets) = timeline.field(named: "target")?.storage
        else { return nil }
        let linkObjects = ["noteTarget": "note", "taskTarget": "task"]
        if object.isSystem, linkObjects[object.nameSingular] == nil { return nil }
        func column(for target: WorkspaceSchema.Object) -> String? { targets.first { $0.target.id == target.id }?.column.name }
        let linkTable = linkObjects.first { $0.value == object.nameSingular }.flatMap { schema.object(nameSingular: $0.key) }
        // Parsed only for notes, tasks and their links, whose rows need the record's fields.
        let parsed = linkObjects[object.nameSingular] != nil || linkTable != nil ? event.properties : .null
        let record = parsed["after"] ?? parsed["before"] ?? .object([:])
        let properties = action == .created ? "{}" : "{\"diff\":\(event.property("diff") ?? "{}")}"
        var rows: [Row] = []
        let actionName = action.rawValue
        if let linked = linkObjects[object.nameSingular] {
            // A noteTarget/taskTarget event: on the record it links, with the note's title.
            guard let note = schema.object(nameSingular: linked), let noteID = record["\(linked)Id"]?.string.flatMap(UUID.init(text:)) else { return nil }
            for (targetColumn, target) in targets where target.id != note.id {
                guard let key = targetKey(for: target, in: object), let id = record[key]?.string.flatMap(UUID.init(text:)) else { continue }
                rows.append(Row(name: "linked-\(linked).\(actionName)", targetColumn: targetColumn.name, targetTable: target.targetTableName, targetID: id, properties: "{}",
                                linkedRecordID: noteID, linkedObjectMetadataID: note.id,
                                linkedRecordCachedName: .titleOf(table: note.targetTableName, id: noteID)))
                break
            }
        } else {
            guard let targetColumn = column(for: object) else { return nil }
            rows.append(Row(name: event.name, targetColumn: targetColumn, targetTable: object.targetTableName, targetID: event.recordId,
                            properties: properties))
        }
        return Plan(event: event, schema: schema, object: object, rows: rows, linkTable: linkTable, targets: targets, record: record)
    }

    /// Writes a plan's rows (and, for a note's or task's event, one on each record it targets).
    private func apply(_ plan: Plan, on connection: PostgresConnection, logger: Logger) async throws {
        var rows = plan.rows
        if let linkTable = plan.linkTable {
            rows += try await linkedRows(of: plan.event, object: plan.object, linkTable: linkTable, targets: plan.targets, record: plan.record,
                                         schema: plan.schema, on: connection, logger: logger)
        }
        for row in rows {
            try await write(row, memberID: plan.event.workspaceMemberId, schema: plan.schema, on: connection, logger: logger)
        }
    }

    /// The key of `link`'s record (a noteTarget) that points at `target`, e.g. `companyId` (`targetCompanyId` on newer
    /// objects).
    private func targetKey(for target: WorkspaceSchema.Object, in link: WorkspaceSchema.Object) -> String? {
        for field in link.fields where field.isActive {
            switch field.storage {
            case .foreignKey(let column, let object) where object.id == target.id: return column.name
            case .morph(let columns): if let match = columns.first(where: { $0.target.id == target.id }) { return match.column.name }
            default: continue
            }
        }
        return nil
    }

    /// `linked-note.<action>` rows for each record a note (or task) targets.
    private func linkedRows(
        of event: RecordEvent, object: WorkspaceSchema.Object, linkTable: WorkspaceSchema.Object,
        targets: [(column: RecordColumn, target: WorkspaceSchema.Object)], record: JSONValue, schema: WorkspaceSchema,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> [Row] {
        let keys = targets.filter { $0.target.id != object.id }.compactMap { target in
            targetKey(for: target.target, in: linkTable).map { (key: $0, column: target.column.name, table: target.target.targetTableName) }
        }
        guard !keys.isEmpty else { return [] }
        let schemaName = try SQLIdentifier(schema.databaseSchema)
        let table = try SQLIdentifier(linkTable.targetTableName)
        let noteKey = try SQLIdentifier("\(object.nameSingular)Id")
        let values = try keys.map { "\(try SQLIdentifier($0.key).quoted)::text" }.joined(separator: ", ")
        var sql = SQLBuilder()
        sql.append("SELECT u.c, u.v FROM \(schemaName).\(table) l, LATERAL unnest(")
        sql.bind(keys.map(\.column))
        sql.append("::text[], ARRAY[\(values)]) AS u(c, v) WHERE l.\(noteKey) = ")
        sql.bind(event.recordId.lowercased)
        sql.append("::uuid AND l.\"deletedAt\" IS NULL AND u.v IS NOT NULL")
        var rows: [Row] = []
        let title = record["title"]?.string
        for try await (column, value) in try await connection.query(sql.query, logger: logger).decode((String, String).self) {
            guard let id = UUID(text: value) else { continue }
            rows.append(Row(name: "linked-\(object.nameSingular).\(event.action?.rawValue ?? "")", targetColumn: column,
                            targetTable: keys.first { $0.column == column }?.table ?? "",
                            targetID: id, properties: "{}", linkedRecordID: event.recordId,
                            linkedObjectMetadataID: object.id, linkedRecordCachedName: .text(title)))
        }
        return rows
    }

    /// Merges `row` into the last row of the same record, name, member (and linked record) written in the last 10
    /// minutes, or inserts it.
    private func write(_ row: Row, memberID: UUID?, schema: WorkspaceSchema, on connection: PostgresConnection, logger: Logger) async throws {
        let schemaName = try SQLIdentifier(schema.databaseSchema)
        let target = try SQLIdentifier(row.targetColumn)
        let properties = row.properties
        var sql = SQLBuilder()
        sql.append("WITH e AS (SELECT t.\"id\" FROM \(schemaName).\"timelineActivity\" t WHERE t.\(target) = ")
        sql.bind(row.targetID.lowercased)
        sql.append("::uuid AND t.\"name\" = ")
        sql.bind(row.name)
        sql.append(" AND t.\"workspaceMemberId\" IS NOT DISTINCT FROM ")
        sql.bind(memberID?.lowercased)
        sql.append("::uuid AND t.\"linkedRecordId\" IS NOT DISTINCT FROM ")
        sql.bind(row.linkedRecordID?.lowercased)
        sql.append("::uuid AND t.\"deletedAt\" IS NULL AND t.\"createdAt\" > now() - interval '10 minutes' ")
        sql.append("ORDER BY t.\"createdAt\" DESC LIMIT 1 FOR UPDATE), n AS (SELECT ")
        sql.bind(properties)
        sql.append("::jsonb AS p), u AS (UPDATE \(schemaName).\"timelineActivity\" t SET \"happensAt\" = now(), \"updatedAt\" = now(), ")
        sql.append("\"properties\" = CASE WHEN n.p ? 'diff' THEN jsonb_build_object('diff', COALESCE(t.\"properties\" -> 'diff', '{}') || ")
        sql.append("COALESCE((SELECT jsonb_object_agg(d.key, jsonb_build_object('before', COALESCE(t.\"properties\" -> 'diff' -> d.key -> 'before', ")
        sql.append("d.value -> 'before'), 'after', d.value -> 'after')) FROM jsonb_each(n.p -> 'diff') d), '{}')) ELSE t.\"properties\" END ")
        sql.append("FROM e, n WHERE t.\"id\" = e.\"id\" RETURNING t.\"id\") ")
        sql.append("INSERT INTO \(schemaName).\"timelineActivity\" (\"name\", \"properties\", \(target), \"workspaceMemberId\", ")
        sql.append("\"linkedRecordId\", \"linkedObjectMetadataId\", \"linkedRecordCachedName\") SELECT ")
        sql.bind(row.name)
        sql.append(", n.p, ")
        sql.bind(row.targetID.lowercased)
        sql.append("::uuid, ")
        sql.bind(memberID?.lowercased)
        sql.append("::uuid, ")
        sql.bind(row.linkedRecordID?.lowercased)
        sql.append("::uuid, ")
        sql.bind(row.linkedObjectMetadataID?.lowercased)
        sql.append("::uuid, ")
        switch row.linkedRecordCachedName {
        case nil: sql.append("NULL")
        case .text(let text): sql.bind(text)
        case .titleOf(let table, let id):
            sql.append("(SELECT \"title\" FROM \(schemaName).\(try SQLIdentifier(table)) WHERE \"id\" = ")
            sql.bind(id.lowercased)
            sql.append("::uuid)")
        }
        // Not for a record destroyed since (the foreign key would refuse the row).
        sql.append(" FROM n WHERE NOT EXISTS (SELECT 1 FROM u) AND EXISTS (SELECT 1 FROM \(schemaName).\(try SQLIdentifier(row.targetTable)) r WHERE r.\"id\" = ")
        sql.bind(row.targetID.lowercased)
        sql.append("::uuid)")
        for try await _ in try await connection.query(sql.query, logger: logger) {}
    }
}
