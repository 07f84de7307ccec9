import Foundation

/// Renders outbox rows of one object of one workspace as events in Twenty's shape (``RecordEvent``'s JSON), in one
/// statement: each raw image (`to_jsonb` of the row, as the write stored it) becomes a row of the table again
/// (`jsonb_populate_record`) and is rendered by the API's own ``SelectionRenderer`` at depth 0, whatever any role
/// may read; then `properties` is built as ``RecordEventStatement`` describes, with the diff of the two renderings
/// (`updatedAt` and `searchVector` left out, as Twenty does). A change with an empty diff renders no event. Former
/// values the table can no longer hold (`beforeFields`: SELECT options removed) are laid over the rendered `before`.
///
/// The event's id is a UUIDv7 made of the row's `createdAt` (milliseconds) and its `position`: time-ordered, unique,
/// and the same every time the row is rendered, so a relay that fails after appending and runs again appends the
/// same ids, which consumers deduplicate.
struct EventRendering {
    let workspace: WorkspaceSchema
    let object: WorkspaceSchema.Object

    /// `SELECT position, event JSON` for the outbox rows at `positions`.
    func statement(positions: [Int]) throws -> SQLBuilder {
        let renderer = try SelectionRenderer(RecordScope(object, in: workspace, access: .unrestricted, actor: .system,
                                                         logger: Database.silentLogger))
        let table = "\(try SQLIdentifier(workspace.databaseSchema).quoted).\(try SQLIdentifier(object.targetTableName).quoted)"
        let tree = RecordTree.allFields(depth: 0)
        var sql = SQLBuilder()
        sql.append("WITH x AS MATERIALIZED (SELECT e.\"position\", e.\"name\", e.\"workspaceId\", e.\"objectMetadataId\", e.\"recordId\", ")
        sql.append("e.\"userId\", e.\"workspaceMemberId\", e.\"apiKeyId\", e.\"createdAt\", CASE WHEN e.\"after\" IS NULL THEN NULL ELSE (")
        try renderer.record(tree, of: object, alias: "a", to: &sql)
        sql.append(")::jsonb END AS a, CASE WHEN e.\"before\" IS NULL THEN NULL ELSE (")
        try renderer.record(tree, of: object, alias: "b", to: &sql)
        sql.append(")::jsonb || COALESCE(e.\"beforeFields\", '{}') END AS b FROM core.\"eventOutbox\" e CROSS JOIN LATERAL jsonb_populate_record(NULL::\(table), e.\"after\") a ")
        sql.append("CROSS JOIN LATERAL jsonb_populate_record(NULL::\(table), e.\"before\") b WHERE e.\"position\" = ANY(")
        sql.bind(positions.map(String.init))
        sql.append("::int8[])) SELECT x.\"position\", json_build_object(")
        Self.appendIdentity(of: "x", to: &sql)
        sql.append(", 'properties', CASE ")
        sql.append("WHEN x.a IS NULL THEN jsonb_build_object('before', x.b) ")
        sql.append("WHEN x.b IS NULL AND x.\"name\" NOT LIKE '%.upserted' THEN jsonb_build_object('after', x.a) ")
        sql.append("WHEN x.b IS NULL THEN jsonb_build_object('after', x.a, 'updatedFields', c.f, 'diff', c.d) ")
        sql.append("ELSE jsonb_build_object('before', x.b, 'after', x.a, 'updatedFields', c.f, 'diff', c.d) END, ")
        sql.append("'createdAt', to_char(x.\"createdAt\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))::text ")
        sql.append("FROM x CROSS JOIN LATERAL (SELECT jsonb_object_agg(k, jsonb_build_object('before', COALESCE(x.b, '{}') -> k, ")
        sql.append("'after', x.a -> k)) AS d, jsonb_agg(k) AS f FROM jsonb_object_keys(COALESCE(x.a, '{}')) k ")
        sql.append("WHERE k NOT IN ('updatedAt', 'searchVector') AND x.a -> k IS DISTINCT FROM COALESCE(x.b, '{}') -> k) c ")
        sql.append("WHERE x.a IS NULL OR x.b IS NULL OR c.d IS NOT NULL")
        return sql
    }

    /// The events of the outbox rows at `positions` with their raw images as `properties` (`{before, after}`, the
    /// table's column names): for rows the table can no longer take back (a field dropped or retyped, an option
    /// removed since the write), so that no event is lost for want of a rendering.
    static func raw(positions: [Int]) -> SQLBuilder {
        var sql = SQLBuilder()
        sql.append("SELECT e.\"position\", json_build_object(")
        appendIdentity(of: "e", to: &sql)
        sql.append(", 'properties', jsonb_strip_nulls(jsonb_build_object('before', e.\"before\" || COALESCE(e.\"beforeFields\", '{}'), ")
        sql.append("'after', e.\"after\")), ")
        sql.append("'createdAt', to_char(e.\"createdAt\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))::text ")
        sql.append("FROM core.\"eventOutbox\" e WHERE e.\"position\" = ANY(")
        sql.bind(positions.map(String.init))
        sql.append("::int8[])")
        return sql
    }

    /// `'id', …, 'workspaceId', …, 'name', …, 'objectMetadataId', …, 'recordId', …, 'userId', …, 'workspaceMemberId', …,
    /// 'apiKeyId', …` of the outbox row `alias`; the id is the UUIDv7 of its `createdAt` and `position`.
    private static func appendIdentity(of alias: String, to sql: inout SQLBuilder) {
        sql.append("'id', (lpad(to_hex((extract(epoch FROM \(alias).\"createdAt\") * 1000)::int8), 12, '0') || '7000' || ")
        sql.append("lpad(to_hex(\(alias).\"position\" | (-9223372036854775808)::int8), 16, '0'))::uuid, ")
        sql.append("'workspaceId', \(alias).\"workspaceId\", 'name', \(alias).\"name\", 'objectMetadataId', \(alias).\"objectMetadataId\", ")
        sql.append("'recordId', \(alias).\"recordId\", 'userId', \(alias).\"userId\", 'workspaceMemberId', \(alias).\"workspaceMemberId\", ")
        sql.append("'apiKeyId', \(alias).\"apiKeyId\"")
    }
}
