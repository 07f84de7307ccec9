/// How PostgreSQL renders a row of a view table as Twenty's JSON: `id`, the entity's columns, `workspaceId`, the
/// timestamps as ISO 8601 with milliseconds; a view also with `isCustom`, `createdByUserWorkspaceId` and its live
/// children (`viewFields`, `viewFilters`, `viewFilterGroups`, `viewSorts`, `viewGroups`), each in order.
struct ViewRendering {
    let entity: ViewEntity

    init(_ entity: ViewEntity) {
        self.entity = entity
    }

    /// The column rows are ordered by: `position` when the entity has one, else `createdAt`.
    var order: String { entity.column("position") != nil ? "\"position\"" : "\"createdAt\"" }

    /// `json_build_object(…)` of the row `alias`.
    func object(_ alias: String) -> String {
        var members = ["'id', \(alias).\"id\""]
        members += entity.columns.map { "'\($0.name)', \(alias).\"\($0.name)\"" }
        members.append("'workspaceId', \(alias).\"workspaceId\"")
        if !entity.isChild {
            members.append("'isCustom', \(alias).\"isCustom\"")
            members.append("'createdByUserWorkspaceId', \(alias).\"createdByUserWorkspaceId\"")
        }
        for column in ["createdAt", "updatedAt", "deletedAt"] {
            members.append("'\(column)', to_char(\(alias).\"\(column)\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
        }
        if !entity.isChild {
            for child in ViewEntity.children {
                let rendering = ViewRendering(child)
                let name = child.collection
                members.append("'\(name)', COALESCE((SELECT json_agg(\(rendering.object("c_\(name)")) ORDER BY c_\(name).\(rendering.order), c_\(name).\"id\") "
                    + "FROM core.\"\(child.table)\" c_\(name) WHERE c_\(name).\"viewId\" = \(alias).\"id\" AND c_\(name).\"deletedAt\" IS NULL), '[]')")
            }
        }
        // A view has 29 members: within json_build_object's 100 arguments.
        return "json_build_object(\(members.joined(separator: ", ")))"
    }
}
