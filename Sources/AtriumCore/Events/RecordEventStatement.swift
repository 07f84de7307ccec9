/// The part of a write statement that records its events: a data-modifying CTE inserting one row per changed record
/// into `core."eventOutbox"`, so the events commit with the write or not at all, and the request stays one statement.
///
/// A write stores the record's raw images only (`to_jsonb` of the table row, before and after): rendering them in
/// Twenty's shape, twice, and diffing them inside the write cost update-one 60% of its throughput; the relay renders
/// them instead (``EventRendering``), off the request's path. An update whose images differ only in `updatedAt` or
/// `searchVector` records nothing.
///
/// ```swift
/// sql.append("WITH p AS (UPDATE … FROM t o WHERE o.\"id\" = a.\"id\" … RETURNING a.*, to_jsonb(o) AS \"__before\")")
/// try events.append(.updated, changed: "p", before: .returned, to: &sql)   // ", ev AS (INSERT INTO core.\"eventOutbox\" …)"
/// try rendering.appendSelect("p", many: true, to: &sql)
/// ```
struct RecordEventStatement {
    let scope: RecordScope

    /// Events of writes in `scope`, naming `scope.actor`.
    init(_ scope: RecordScope) {
        self.scope = scope
    }

    /// The events of the same caller's writes to `object`'s records.
    func on(_ object: WorkspaceSchema.Object) -> RecordEventStatement {
        RecordEventStatement(scope.on(object))
    }

    /// Whether writes of `object` have events: all but `timelineActivity`'s, which the worker writes from events (as
    /// Twenty, which emits none for it).
    static func records(_ object: WorkspaceSchema.Object) -> Bool {
        object.nameSingular != "timelineActivity"
    }

    /// The column a write's `RETURNING` adds for the record as it was (``Before/returned``).
    static let beforeColumn = "__before"

    /// Where the records as they were before the write come from.
    enum Before {
        /// None: created records, or destroyed ones (whose changed rows are the records as they were).
        case none
        /// The changed rows' ``RecordEventStatement/beforeColumn`` (`to_jsonb` of the row joined to itself).
        case returned
        /// A CTE of the same records before the write, joined by id (an upsert's existing records).
        case cte(String)
    }

    /// Appends `, ev AS (INSERT INTO core."eventOutbox" … )` for the records in CTE `changed` (their state after the
    /// write; for `destroyed`, as they were).
    func append(_ action: RecordEventAction, changed: String, before: Before = .none, to sql: inout SQLBuilder) throws {
        let object = scope.object
        let actor = scope.actor
        let row = "(to_jsonb(\(changed)) - '\(Self.beforeColumn)' - '__rowLevel')"
        let old: String? = switch before {
        case .none: nil
        case .returned: "\(changed).\"\(Self.beforeColumn)\""
        case .cte(let name): "to_jsonb(\(name))"
        }
        sql.append(", ev AS (INSERT INTO core.\"eventOutbox\" (\"workspaceId\", \"name\", \"objectMetadataId\", \"recordId\", ")
        sql.append("\"userId\", \"workspaceMemberId\", \"apiKeyId\", \"before\", \"after\") SELECT ")
        sql.bind(scope.workspace.workspaceID.lowercased)
        sql.append("::uuid, ")
        sql.bind(action.eventName(for: object))
        sql.append(", ")
        sql.bind(object.id.lowercased)
        sql.append("::uuid, \(changed).\"id\", ")
        sql.bind(actor.userID?.lowercased)
        sql.append("::uuid, ")
        sql.bind(actor.workspaceMemberID?.lowercased)
        sql.append("::uuid, ")
        sql.bind(actor.apiKeyID?.lowercased)
        sql.append("::uuid, ")
        switch action {
        case .created:
            sql.append("NULL, \(row) FROM \(changed))")
        case .destroyed:
            sql.append("\(row), NULL FROM \(changed))")
        case .updated, .deleted, .restored, .upserted:
            guard let old else { throw AtriumError(.internalError, "A \(action.rawValue) event needs the records before the write") }
            sql.append("\(old), \(row) FROM \(changed)")
            if case .cte(let name) = before {
                sql.append(" \(action == .upserted ? "LEFT " : "")JOIN \(name) ON \(name).\"id\" = \(changed).\"id\"")
            }
            // Nothing but the automatic columns changed: no event.
            sql.append(" WHERE \(old) IS NULL OR (\(old) - 'updatedAt' - 'searchVector') IS DISTINCT FROM (\(row) - 'updatedAt' - 'searchVector'))")
        }
    }
}
