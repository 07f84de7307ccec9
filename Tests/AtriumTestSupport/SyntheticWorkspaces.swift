import AtriumCore
import Foundation
import Logging
import PostgresNIO

/// Workspaces made directly in SQL (a `core.workspace` row and a schema with a `runs` table), for upgrade tests
/// that need many workspaces without the full standard data model.
public enum SyntheticWorkspaces {
    /// Inserts `count` ACTIVE workspaces; returns their ids in creation order.
    public static func make(_ count: Int, in database: Database, logger: Logger) async throws -> [UUID] {
        var ids: [UUID] = []
        for index in 0..<count {
            let id = UUID()
            let schema = try SQLIdentifier("workspace_test_\(index)_\(id.uuidString.prefix(8).lowercased())")
            try await database.withTransaction(logger: logger) { connection in
                try await TestWorkspaceRows.insert(id, subdomain: schema.name, schema: schema.name, status: "ACTIVE", on: connection, logger: logger)
                try await connection.query("CREATE SCHEMA \(schema)", logger: logger)
                try await connection.query("CREATE TABLE \(schema).\(try SQLIdentifier("runs")) (step text NOT NULL)", logger: logger)
            }
            ids.append(id)
        }
        return ids
    }

    /// A `PG_DATABASE_URL` for `settings`, for child processes.
    public static func url(for settings: PostgresSettings) -> String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = settings.username
        components.password = settings.password
        components.host = settings.host
        components.port = settings.port
        components.path = "/" + settings.database
        components.queryItems = [URLQueryItem(name: "sslmode", value: "disable")]
        return components.string!
    }
}
