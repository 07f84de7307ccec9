import Foundation
import Logging
import PostgresNIO

/// Reads the workspaces that upgrades iterate over.
enum WorkspaceDirectory {
    /// The workspaces a run's workspace steps take, and where a batch cut by `workspaceCountLimit` stops.
    struct Selection: Sendable {
        /// Selected workspaces, in id order.
        var workspaces: [WorkspaceTarget] = []
        /// With a count limit: the first workspace left out (where the next batch starts), nil when none is.
        var nextWorkspaceID: UUID?
    }

    /// ACTIVE and SUSPENDED workspaces in id order; none before `core.workspace` exists.
    static func activeOrSuspended(database: Database, logger: Logger) async throws -> [WorkspaceTarget] {
        try await selected(by: UpgradeOptions(), database: database, logger: logger).workspaces
    }

    /// ACTIVE and SUSPENDED workspaces in id order, narrowed by `options`' workspace filters: `workspaceIDs`,
    /// `startFromWorkspaceID` (ids at least this one), then `workspaceCountLimit` (the first N).
    static func selected(by options: UpgradeOptions, database: Database, logger: Logger) async throws -> Selection {
        var tableExists = false
        for try await exists in try await database.query(#"SELECT to_regclass('core."workspace"') IS NOT NULL"#, logger: logger).decode(Bool.self) {
            tableExists = exists
        }
        guard tableExists else { return Selection() }
        // One row more than the limit tells whether the batch was cut, and where the next one starts.
        let fetch = options.workspaceCountLimit.map { $0 + 1 }
        let rows = try await database.query("""
            SELECT id, "databaseSchema" FROM core."workspace"
            WHERE "activationStatus" IN ('ACTIVE', 'SUSPENDED')
              AND (\(options.startFromWorkspaceID)::uuid IS NULL OR id >= \(options.startFromWorkspaceID))
              AND (cardinality(\(options.workspaceIDs)::uuid[]) = 0 OR id = ANY(\(options.workspaceIDs)::uuid[]))
            ORDER BY id
            LIMIT \(fetch)
            """, logger: logger)
        var selection = Selection()
        for try await (id, schema) in rows.decode((UUID, String).self) {
            if let limit = options.workspaceCountLimit, selection.workspaces.count == limit {
                selection.nextWorkspaceID = id
                break
            }
            selection.workspaces.append(WorkspaceTarget(id: id, schema: try SQLIdentifier(schema)))
        }
        return selection
    }
}
