import Foundation
import Logging
import PostgresNIO

/// Reads the workspaces that upgrades iterate over.
enum WorkspaceDirectory {
    /// ACTIVE and SUSPENDED workspaces in id order; none before `core.workspace` exists.
    static func activeOrSuspended(database: Database, logger: Logger) async throws -> [WorkspaceTarget] {
        var tableExists = false
        for try await exists in try await database.query(#"SELECT to_regclass('core."workspace"') IS NOT NULL"#, logger: logger).decode(Bool.self) {
            tableExists = exists
        }
        guard tableExists else { return [] }
        let rows = try await database.query("""
            SELECT id, "databaseSchema" FROM core."workspace"
            WHERE "activationStatus" IN ('ACTIVE', 'SUSPENDED')
            ORDER BY id
            """, logger: logger)
        var result: [WorkspaceTarget] = []
        for try await (id, schema) in rows.decode((UUID, String).self) {
            result.append(WorkspaceTarget(id: id, schema: try SQLIdentifier(schema)))
        }
        return result
    }
}
