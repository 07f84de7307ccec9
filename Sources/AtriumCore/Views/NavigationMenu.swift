import Foundation
import Logging
import NIOCore

/// The sidebar's items (`core."navigationMenuItem"`, Twenty's navigation menu): list, read, create, update, delete,
/// for any member or key of the workspace (Twenty guards them with no permission). A member sees the workspace's
/// items and their own (`userWorkspaceId`); an item of their own can be created only by a signed-in member for
/// themself. Every id an item names must be of the workspace: its view, its object, its folder.
public struct NavigationMenu: Sendable {
    let database: Database
    static let entity = ViewEntity.navigationMenuItem

    public init(database: Database) {
        self.database = database
    }

    /// The items `caller` (a signed-in user, or nil for an API key) sees, by position: `[{…}, …]`.
    public func list(workspace: UUID, user: UUID?, logger: Logger) async throws -> ByteBuffer {
        let rendering = ViewRendering(Self.entity)
        var sql = SQLBuilder()
        sql.append("SELECT COALESCE(json_agg(\(rendering.object("t")) ORDER BY t.\"position\", t.\"id\"), '[]')::text FROM core.\"navigationMenuItem\" t")
        appendVisible(workspace: workspace, user: user, to: &sql)
        guard let text = try await database.firstText(sql, effect: .reads, logger: logger) else {
            throw AtriumError(.internalError, "The navigation query returned nothing")
        }
        return text
    }

    /// One item the caller sees.
    /// - Throws: ``AtriumError`` `.notFound` otherwise.
    public func one(_ id: UUID, workspace: UUID, user: UUID?, logger: Logger) async throws -> ByteBuffer {
        var sql = SQLBuilder()
        sql.append("SELECT \(ViewRendering(Self.entity).object("t"))::text FROM core.\"navigationMenuItem\" t")
        appendVisible(workspace: workspace, user: user, to: &sql)
        sql.append(" AND t.\"id\" = ")
        sql.bind(id.lowercased)
        sql.append("::uuid")
        return try found(try await database.firstText(sql, effect: .reads, logger: logger))
    }

    /// Creates an item (Twenty's `CreateNavigationMenuItemInput`); the item.
    public func create(_ input: [String: JSONValue], workspace: UUID, user: UUID?, logger: Logger) async throws -> ByteBuffer {
        let values = try ViewInput.values(of: Self.entity, from: input, creating: true)
        if let own = values["userWorkspaceId"].flatMap({ $0 }) {
            guard let user, try await userWorkspace(of: user, workspace: workspace, logger: logger) == own else {
                throw AtriumError(.forbidden, "A navigation item of one's own is created by that member only")
            }
        }
        try await checkReferences(values, workspace: workspace, logger: logger)
        let sql = try ViewInput.insert(Self.entity, values, workspace: workspace)
        return try await write(sql, logger: logger)
    }

    /// Changes an item the caller sees; the item.
    public func update(_ id: UUID, _ input: [String: JSONValue], workspace: UUID, user: UUID?, logger: Logger) async throws -> ByteBuffer {
        let values = try ViewInput.values(of: Self.entity, from: input, creating: false)
        try await checkReferences(values, workspace: workspace, logger: logger)
        var sql = try ViewInput.update(Self.entity, values)
        appendVisible(workspace: workspace, user: user, to: &sql)
        sql.append(" AND t.\"id\" = ")
        sql.bind(id.lowercased)
        sql.append("::uuid RETURNING \(ViewRendering(Self.entity).object("t"))::text")
        return try await write(sql, logger: logger)
    }

    /// Deletes an item the caller sees (and the items of a folder); the item as it was.
    public func delete(_ id: UUID, workspace: UUID, user: UUID?, logger: Logger) async throws -> ByteBuffer {
        var sql = SQLBuilder()
        sql.append("DELETE FROM core.\"navigationMenuItem\" t")
        appendVisible(workspace: workspace, user: user, to: &sql)
        sql.append(" AND t.\"id\" = ")
        sql.bind(id.lowercased)
        sql.append("::uuid RETURNING \(ViewRendering(Self.entity).object("t"))::text")
        return try await write(sql, logger: logger)
    }

    /// Removes the items of records deleted or destroyed (the worker, on their events).
    public func removeItems(of records: [UUID], workspace: UUID, logger: Logger) async throws {
        guard !records.isEmpty else { return }
        var sql = SQLBuilder()
        sql.append("DELETE FROM core.\"navigationMenuItem\" WHERE \"workspaceId\" = ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid AND \"targetRecordId\"::text = ANY(")
        sql.bind(records.map(\.lowercased))
        sql.append(")")
        _ = try await database.firstText(sql, effect: .writes, logger: logger)
    }

    // MARK: - Rules

    /// ` WHERE` the workspace's items and the user's own.
    private func appendVisible(workspace: UUID, user: UUID?, to sql: inout SQLBuilder) {
        sql.append(" WHERE t.\"workspaceId\" = ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid AND t.\"deletedAt\" IS NULL AND (t.\"userWorkspaceId\" IS NULL OR t.\"userWorkspaceId\" = (SELECT uw.\"id\" FROM core.\"userWorkspace\" uw WHERE uw.\"userId\" = ")
        sql.bind(user?.lowercased)
        sql.append("::uuid AND uw.\"workspaceId\" = t.\"workspaceId\"))")
    }

    private func userWorkspace(of user: UUID, workspace: UUID, logger: Logger) async throws -> String? {
        var sql = SQLBuilder()
        sql.append("SELECT \"id\"::text FROM core.\"userWorkspace\" WHERE \"userId\" = ")
        sql.bind(user.lowercased)
        sql.append("::uuid AND \"workspaceId\" = ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid")
        return try await database.firstText(sql, effect: .reads, logger: logger).map { String(buffer: $0) }
    }

    /// - Throws: ``AtriumError`` `.badRequest` unless the view, object and folder the values name are the workspace's.
    private func checkReferences(_ values: [String: String?], workspace: UUID, logger: Logger) async throws {
        let checks: [(String, String)] = [("viewId", "view"), ("targetObjectMetadataId", "objectMetadata"), ("folderId", "navigationMenuItem")]
        for (column, table) in checks {
            guard let id = values[column].flatMap({ $0 }) else { continue }
            guard try await ViewInput.belongs(table, id: id, to: workspace, on: database, logger: logger) else {
                throw AtriumError(.badRequest, "\(column) \(id) is not of this workspace")
            }
        }
    }

    private func found(_ text: ByteBuffer?) throws -> ByteBuffer {
        guard let text else { throw AtriumError(.notFound, "Navigation menu item not found") }
        return text
    }

    private func write(_ sql: SQLBuilder, logger: Logger) async throws -> ByteBuffer {
        try await ViewInput.write(sql, of: Self.entity, on: database, notFound: AtriumError(.notFound, "Navigation menu item not found"), logger: logger)
    }
}
