/// The part of a write statement that records its events: a data-modifying CTE inserting one row per changed record
/// into `core."eventOutbox"`, so the events commit with the write or not at all, and the request stays one statement.
///
/// The `properties` are Twenty's, built in PostgreSQL from the records rendered as Twenty's REST renders them at depth
/// 0 (every field, composite fields as objects, relations as their `<name>Id`), whatever the caller may read:
/// - created: `{after}`; destroyed: `{before}`;
/// - updated, deleted (soft) and restored: `{before, after, updatedFields, diff}`, where `diff` maps each changed field
///   to `{before, after}` (`updatedAt` and `searchVector` left out, as Twenty does) and `updatedFields` lists its keys;
///   a record whose diff is empty gets no event;
/// - upserted: the same, with `before` only when the record existed (a new one's diff is against `{}`).
///
/// ```swift
/// sql.append("WITH o AS (…), p AS (UPDATE … RETURNING a.*)")
/// try events.append(.updated, changed: "p", before: "o", to: &sql)   // ", ev AS (INSERT INTO core.\"eventOutbox\" …)"
/// try rendering.appendSelect("p", many: true, to: &sql)
/// ```
struct RecordEventStatement {
    let scope: RecordScope
    private let renderer: SelectionRenderer

    /// Events of writes in `scope`, naming `scope.actor`.
    init(_ scope: RecordScope) throws {
        self.scope = scope
        self.renderer = try SelectionRenderer(RecordScope(scope.object, in: scope.workspace, access: .unrestricted,
                                                          actor: scope.actor, logger: scope.logger))
    }

    /// The events of the same caller's writes to `object`'s records.
    func on(_ object: WorkspaceSchema.Object) throws -> RecordEventStatement {
        try RecordEventStatement(scope.on(object))
    }

    /// Whether writes of `object` have events: all but `timelineActivity`'s, which the worker writes from events (as
    /// Twenty, which emits none for it).
    static func records(_ object: WorkspaceSchema.Object) -> Bool {
        object.nameSingular != "timelineActivity"
    }

    /// The CTE name the events are inserted by.
    static let name = "ev"

    /// Appends `, ev AS (INSERT INTO core."eventOutbox" … )` for the records in CTE `changed` (their state after the
    /// write; for `destroyed`, as they were), with `before` the CTE of the same records before it (updated, deleted,
    /// restored: required; upserted: the ones that existed).
    func append(_ action: RecordEventAction, changed: String, before: String? = nil, to sql: inout SQLBuilder) throws {
        let object = scope.object
        let actor = scope.actor
        sql.append(", \(Self.name) AS (INSERT INTO core.\"eventOutbox\" (\"workspaceId\", \"name\", \"objectMetadataId\", ")
        sql.append("\"recordId\", \"userId\", \"workspaceMemberId\", \"apiKeyId\", \"properties\") SELECT ")
        sql.bind(scope.workspace.workspaceID.lowercased)
        sql.append("::uuid, ")
        sql.bind(action.eventName(for: object))
        sql.append(", ")
        sql.bind(object.id.lowercased)
        sql.append("::uuid, x.\"id\", ")
        sql.bind(actor.userID?.lowercased)
        sql.append("::uuid, ")
        sql.bind(actor.workspaceMemberID?.lowercased)
        sql.append("::uuid, ")
        sql.bind(actor.apiKeyID?.lowercased)
        sql.append("::uuid, ")
        let tree = RecordTree.allFields(depth: 0)
        switch action {
        case .created, .destroyed:
            sql.append("jsonb_build_object('\(action == .created ? "after" : "before")', x.r) FROM (SELECT \(changed).\"id\", (")
            try renderer.record(tree, of: object, alias: changed, to: &sql)
            sql.append(")::jsonb AS r FROM \(changed)) x)")
        case .updated, .deleted, .restored, .upserted:
            guard let before else { throw AtriumError(.internalError, "A \(action.rawValue) event needs the records before the write") }
            sql.append("CASE WHEN x.b IS NULL THEN jsonb_build_object('after', x.a, 'updatedFields', c.f, 'diff', c.d) ")
            sql.append("ELSE jsonb_build_object('before', x.b, 'after', x.a, 'updatedFields', c.f, 'diff', c.d) END ")
            sql.append("FROM (SELECT \(changed).\"id\", (")
            try renderer.record(tree, of: object, alias: changed, to: &sql)
            sql.append(")::jsonb AS a, CASE WHEN \(before).\"id\" IS NULL THEN NULL ELSE (")
            try renderer.record(tree, of: object, alias: before, to: &sql)
            sql.append(")::jsonb END AS b FROM \(changed) \(action == .upserted ? "LEFT " : "")JOIN \(before) ")
            sql.append("ON \(before).\"id\" = \(changed).\"id\") x CROSS JOIN LATERAL (SELECT jsonb_object_agg(k, ")
            sql.append("jsonb_build_object('before', COALESCE(x.b, '{}') -> k, 'after', x.a -> k)) AS d, jsonb_agg(k) AS f ")
            sql.append("FROM jsonb_object_keys(x.a) k WHERE k NOT IN ('updatedAt', 'searchVector') ")
            sql.append("AND x.a -> k IS DISTINCT FROM COALESCE(x.b, '{}') -> k) c WHERE c.d IS NOT NULL)")
        }
    }
}
