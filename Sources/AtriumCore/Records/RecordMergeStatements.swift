import Foundation

/// Merges records into one: the record at the priority index keeps its values, and its empty fields are filled from
/// the others in the given order; the others' related records move to it, and the others are soft-deleted.
///
/// The merged record is rendered as the caller selected, in the caller's envelope. With ``events``, each step records
/// its events: the others `deleted`, each moved related record `updated`, the merged record `updated`.
struct RecordMergeStatements {
    let reads: RecordReadStatements
    let ids: [UUID]
    let priority: Int
    /// How the merged record is rendered.
    let rendering: RecordRendering
    /// The events of the merged object's writes; nil: none recorded.
    let events: RecordEventStatement?

    init(reads: RecordReadStatements, ids: [UUID], priority: Int, rendering: RecordRendering, events: RecordEventStatement?) throws {
        guard ids.count >= 2 else { throw AtriumError(.badRequest, "Merging needs at least two ids") }
        guard Set(ids).count == ids.count else { throw AtriumError(.badRequest, "The ids to merge must be distinct") }
        guard ids.indices.contains(priority) else {
            throw AtriumError(.badRequest, "conflictPriorityIndex must be between 0 and \(ids.count - 1)")
        }
        self.reads = reads
        self.ids = ids
        self.priority = priority
        self.rendering = rendering
        self.events = events
    }

    var priorityID: UUID { ids[priority] }
    var others: [UUID] { ids.enumerated().filter { $0.offset != priority }.map(\.element) }

    /// Columns that always come from the priority record.
    private static let kept: Set<String> = ["id", "createdAt", "updatedAt", "deletedAt", "position"]

    /// `SELECT` of the merged row (every column of the table, under its own name), from live records only when
    /// `liveOthers`.
    func mergedRow(liveOthers: Bool, to sql: inout SQLBuilder) throws {
        let schema = reads.schema
        let table = reads.table
        let sources = ["p"] + others.indices.map { "o\($0)" }
        var items: [String] = []
        for (_, column) in reads.object.columns {
            let name = try SQLIdentifier(column.name)
            if Self.kept.contains(column.name) || column.name.hasPrefix("createdBy") || column.name.hasPrefix("updatedBy") {
                items.append("p.\(name)")
                continue
            }
            let candidates = sources.map { source -> String in
                switch column.type {
                case .text: "NULLIF(\(source).\(name), '')"
                case .jsonb: "NULLIF(NULLIF(\(source).\(name), '[]'::jsonb), '{}'::jsonb)"
                case .textArray, .enumerationArray: "NULLIF(\(source).\(name), '{}')"
                default: "\(source).\(name)"
                }
            }
            // Keep the priority's own empty value when no record has one ('' rather than NULL).
            items.append("COALESCE(\(candidates.joined(separator: ", ")), p.\(name)) AS \(name)")
        }
        sql.append("SELECT \(items.joined(separator: ", ")) FROM \(schema).\(table) p")
        for (index, id) in others.enumerated() {
            sql.append(" JOIN \(schema).\(table) o\(index) ON o\(index).\"id\" = ")
            sql.bind(id.uuidString)
            sql.append("::uuid")
            if liveOthers { sql.append(" AND o\(index).\"deletedAt\" IS NULL") }
            try reads.appendRowLevel(alias: "o\(index)", to: &sql)
        }
        sql.append(" WHERE p.\"id\" = ")
        sql.bind(priorityID.uuidString)
        sql.append("::uuid AND p.\"deletedAt\" IS NULL")
        try reads.appendRowLevel(alias: "p", to: &sql)
    }

    /// The merged record without changing anything.
    func preview() throws -> SQLBuilder {
        var sql = SQLBuilder()
        sql.append("WITH m AS (")
        try mergedRow(liveOthers: true, to: &sql)
        sql.append(") ")
        try rendering.appendSelect("m", many: false, to: &sql)
        return sql
    }

    /// Step 1: soft-deletes the others; returns one row per record it deleted.
    func softDeleteOthers() throws -> SQLBuilder {
        var sql = SQLBuilder()
        sql.append("WITH p AS (UPDATE \(reads.schema).\(reads.table) AS a SET \"deletedAt\" = now() ")
        if events != nil { sql.append("FROM \(reads.schema).\(reads.table) AS o WHERE o.\"id\" = a.\"id\" AND ") } else { sql.append("WHERE ") }
        sql.append("a.\"deletedAt\" IS NULL AND a.\"id\" = ANY(")
        sql.bind(others.map(\.uuidString))
        sql.append("::uuid[])")
        try reads.appendRowLevel(alias: "a", to: &sql)
        sql.append(" RETURNING a.*\(events == nil ? "" : ", to_jsonb(o) AS \"\(RecordEventStatement.beforeColumn)\"" ))")
        try events?.append(.deleted, changed: "p", before: .returned, to: &sql)
        sql.append(" SELECT p.\"id\" FROM p")
        return sql
    }

    /// Step 2: points the others' related records at the priority record, one statement per to-many relation.
    ///
    /// Moving a related record is an update of it, so the caller's role decides as for any update: when it may not
    /// update that object's records (or their key field), or a moved record is outside its row-level rule there, the
    /// statement raises 42501 (``AtriumError/permissionDenied()``) and the merge writes nothing. Relations without
    /// records to move pass whatever the role.
    func moveRelations() throws -> [SQLBuilder] {
        try reads.object.fields.compactMap { field -> SQLBuilder? in
            guard field.isActive, case .oneToMany(let target, let inverse) = field.storage,
                  let key = inverse.keyColumn(pointingAt: reads.object)
            else { return nil }
            let column = try SQLIdentifier(key)
            let table = try SQLIdentifier(target.targetTableName)
            let targetEvents = events.flatMap { RecordEventStatement.records(target) ? $0.on(target) : nil }
            var sql = SQLBuilder()
            sql.append(targetEvents == nil ? "" : "WITH p AS (")
            sql.append("UPDATE \(reads.schema).\(table) AS r SET \(column) = ")
            sql.bind(priorityID.uuidString)
            sql.append(targetEvents == nil ? "::uuid WHERE " : "::uuid FROM \(reads.schema).\(table) AS o WHERE o.\"id\" = r.\"id\" AND ")
            sql.append("r.\(column) = ANY(")
            sql.bind(others.map(\.uuidString))
            sql.append(targetEvents == nil ? "::uuid[]) RETURNING r.\"id\"" : "::uuid[]) RETURNING r.*, to_jsonb(o) AS \"\(RecordEventStatement.beforeColumn)\"")
            let access = reads.access
            let targetPolicy = try access.policy(for: target, in: reads.workspace)
            let mayUpdate = targetPolicy.permissions.canUpdateObjectRecords && !targetPolicy.unwritableFields.contains(inverse.name)
            if mayUpdate {
                try RecordReadStatements(object: target, schema: reads.workspace, access: access).appendRowLevelCheck(returning: "r", to: &sql)
            } else {
                sql.append(", core.\"atrium_refuse_row_outside_role\"()")
            }
            if let targetEvents {
                sql.append(")")
                try targetEvents.append(.updated, changed: "p", before: .returned, to: &sql)
                sql.append(" SELECT p.\"id\" FROM p")
            }
            return sql
        }
    }

    /// Step 3: writes the merged values into the priority record and renders it.
    func applyMerged() throws -> SQLBuilder {
        var sql = SQLBuilder()
        sql.append("WITH m AS (")
        try mergedRow(liveOthers: false, to: &sql)
        let assignments = try reads.object.columns.map(\.column.name).filter { !Self.kept.contains($0) }.map { name in
            let identifier = try SQLIdentifier(name)
            return "\(identifier) = m.\(identifier)"
        }
        sql.append("), u AS (UPDATE \(reads.schema).\(reads.table) AS a SET \(assignments.joined(separator: ", ")), \"updatedAt\" = now() ")
        if events != nil {
            // The priority record as it was, for the event's `before`.
            sql.append("FROM m JOIN \(reads.schema).\(reads.table) AS o ON o.\"id\" = m.\"id\" WHERE a.\"id\" = m.\"id\" ")
            sql.append("RETURNING a.*, to_jsonb(o) AS \"\(RecordEventStatement.beforeColumn)\"")
        } else {
            sql.append("FROM m WHERE a.\"id\" = m.\"id\" RETURNING a.*")
        }
        try reads.appendRowLevelCheck(returning: "a", to: &sql)
        sql.append(")")
        try events?.append(.updated, changed: "u", before: .returned, to: &sql)
        sql.append(" ")
        try rendering.appendSelect("u", many: false, to: &sql)
        return sql
    }
}
