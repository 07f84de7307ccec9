import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Saved views in `core` (``ViewEntity``): list, read, create, update, soft delete and destroy, each within the
/// caller's workspace, with Twenty's rules:
/// - a list shows WORKSPACE views and the caller's own UNLISTED (or USER) views; one view is readable by id;
/// - creating a WORKSPACE view needs the VIEWS flag, an UNLISTED one a signed-in user (who then owns it);
/// - changing a view or its children needs the VIEWS flag, or ownership of an UNLISTED view;
/// - every field a row names must be a field of the view's object, and a filter's group must be of the same view.
/// PostgreSQL renders every answer (``ViewRendering``).
public struct ViewStore: Sendable {
    public let database: Database
    /// Views as queries read them; writes drop (and announce) their workspace's entries.
    public let cache: ViewDefinitionCache?

    public init(database: Database, cache: ViewDefinitionCache? = nil) {
        self.database = database
        self.cache = cache
    }

    /// Who asks.
    public struct Caller: Sendable {
        /// The signed-in user (nil for an API key): the owner of the UNLISTED views they create.
        public let userID: UUID?
        /// Whether the caller's role holds the VIEWS flag.
        public let canManageViews: Bool

        public init(userID: UUID?, canManageViews: Bool) {
            self.userID = userID
            self.canManageViews = canManageViews
        }
    }

    /// The most rows one page may hold (Twenty's metadata page size).
    public static let pageSize = 1000

    /// `{"data": [...], "pageInfo": {...}, "totalCount": n}`: the workspace's live rows of `entity` (views with their
    /// children), of the object or view `parent` names when given, ordered by position, `limit` after the row
    /// `startingAfter`.
    public func list(
        _ entity: ViewEntity, parent: UUID?, limit: Int = pageSize, startingAfter: UUID? = nil, workspace: UUID, caller: Caller, logger: Logger
    ) async throws -> ByteBuffer {
        guard (1...Self.pageSize).contains(limit) else { throw AtriumError(.badRequest, "limit must be an integer from 1 to \(Self.pageSize)") }
        let rendering = ViewRendering(entity)
        var sql = SQLBuilder()
        sql.append("WITH visible AS (SELECT t.* FROM core.\(try SQLIdentifier(entity.table)) t WHERE t.\"workspaceId\" = ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid AND t.\"deletedAt\" IS NULL")
        if let parent {
            sql.append(" AND t.\(entity.isChild ? "\"viewId\"" : "\"objectMetadataId\"") = ")
            sql.bind(parent.lowercased)
            sql.append("::uuid")
        }
        if !entity.isChild {
            sql.append(" AND (t.\"visibility\" = 'WORKSPACE' OR t.\"createdByUserWorkspaceId\" = ")
            appendUserWorkspace(caller, workspace: workspace, to: &sql)
            sql.append(")")
        }
        sql.append("), page AS (SELECT * FROM visible v")
        if let startingAfter {
            sql.append(" WHERE (v.\(rendering.order), v.\"id\") > (SELECT c.\(rendering.order), c.\"id\" FROM visible c WHERE c.\"id\" = ")
            sql.bind(startingAfter.lowercased)
            sql.append("::uuid)")
        }
        sql.append(" ORDER BY v.\(rendering.order), v.\"id\" LIMIT ")
        sql.bind(limit + 1)
        sql.append("), shown AS (SELECT * FROM page ORDER BY \(rendering.order), \"id\" LIMIT ")
        sql.bind(limit)
        sql.append(") SELECT json_build_object('data', COALESCE((SELECT json_agg(\(rendering.object("s")) ORDER BY s.\(rendering.order), s.\"id\") FROM shown s), '[]'), ")
        sql.append("'pageInfo', json_build_object('hasNextPage', (SELECT count(*) FROM page) > ")
        sql.bind(limit)
        sql.append(", 'hasPreviousPage', ")
        sql.append(startingAfter == nil ? "false" : "true")
        sql.append(", 'startCursor', (SELECT s.\"id\" FROM shown s ORDER BY s.\(rendering.order), s.\"id\" LIMIT 1), ")
        sql.append("'endCursor', (SELECT s.\"id\" FROM shown s ORDER BY s.\(rendering.order) DESC, s.\"id\" DESC LIMIT 1)), ")
        sql.append("'totalCount', (SELECT count(*) FROM visible))::text")
        return try await text(sql, logger: logger)
    }

    /// One live row of the workspace (a view with its children), rendered.
    /// - Throws: ``AtriumError`` `.notFound` when the workspace has no such row.
    public func one(_ entity: ViewEntity, id: UUID, workspace: UUID, logger: Logger) async throws -> ByteBuffer {
        var sql = SQLBuilder()
        sql.append("SELECT \(ViewRendering(entity).object("t"))::text FROM core.\(try SQLIdentifier(entity.table)) t WHERE t.\"id\" = ")
        sql.bind(id.lowercased)
        sql.append("::uuid AND t.\"workspaceId\" = ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid AND t.\"deletedAt\" IS NULL")
        return try await found(entity, try await database.firstText(sql, effect: .reads, logger: logger))
    }

    /// What of a live view of the workspace shapes a query, with the time zone of the workspace member `member`
    /// (from `memberTable`, the workspace's `workspaceMember` table; nil when none is set or there is no member), in
    /// one statement.
    /// - Throws: ``AtriumError`` `.notFound` when the workspace has no such view.
    func definition(
        view: UUID, workspace: UUID, member: UUID?, memberTable: String, logger: Logger
    ) async throws -> (view: ViewDefinition, timeZone: TimeZone?) {
        var sql = SQLBuilder()
        sql.append("SELECT json_build_object('view', \(ViewRendering(.view).object("t")), 'timeZone', (SELECT m.\"timeZone\" FROM \(memberTable) m WHERE m.\"id\" = ")
        sql.bind(member?.lowercased)
        sql.append("::uuid))::text FROM core.\"view\" t WHERE t.\"id\" = ")
        sql.bind(view.lowercased)
        sql.append("::uuid AND t.\"workspaceId\" = ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid AND t.\"deletedAt\" IS NULL")
        let text = try found(.view, try await database.firstText(sql, effect: .reads, logger: logger))
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(text.readableBytesView))
        let zone = json["timeZone"]?.string.flatMap { TimeZone(identifier: $0) }
        return (try ViewDefinition(rendered: json["view"] ?? .null), zone)
    }

    /// The view `id` of `scope`'s object and the compiler of its filters for `scope`'s caller (their workspace member
    /// and its time zone), read in one statement.
    /// - Throws: ``AtriumError`` `.notFound` when the workspace has no such view, `.badRequest` when it is a view of
    ///   another object.
    public func compiler(for id: UUID, in scope: RecordScope) async throws -> (view: ViewDefinition, compiler: ViewFilterCompiler) {
        let member = scope.actor.workspaceMemberID
        let key = ViewDefinitionCache.Key(workspace: scope.workspace.workspaceID, view: id, member: member)
        let view: ViewDefinition
        let timeZone: TimeZone?
        if let cached = cache?.view(key, metadataVersion: scope.workspace.metadataVersion) {
            (view, timeZone) = cached
        } else {
            let memberTable = "\(try SQLIdentifier(scope.workspace.databaseSchema).quoted).\"workspaceMember\""
            (view, timeZone) = try await definition(view: id, workspace: scope.workspace.workspaceID, member: member,
                                                    memberTable: memberTable, logger: scope.logger)
            cache?.store(view, timeZone: timeZone, for: key, metadataVersion: scope.workspace.metadataVersion)
        }
        guard view.objectMetadataId == scope.object.id else {
            throw AtriumError(.badRequest, "View \(id.lowercased) is not a view of \(scope.object.namePlural)")
        }
        let context = ViewFilterCompiler.Context(workspaceMemberID: member, timeZone: timeZone ?? TimeZone(identifier: "UTC")!)
        return (view, ViewFilterCompiler(object: scope.object, context: context))
    }

    /// Creates a row from `input` (Twenty's create input: the entity's columns, `id` optional); the row, rendered.
    public func create(_ entity: ViewEntity, input: [String: JSONValue], workspace: UUID, caller: Caller, logger: Logger) async throws -> ByteBuffer {
        let values = try ViewInput.values(of: entity, from: input, creating: true)
        if entity.isChild {
            guard case .some(.some(let viewText)) = values["viewId"], let view = UUID(text: viewText) else {
                throw AtriumError(.badRequest, "viewId is required")
            }
            try await requireModify(view: view, workspace: workspace, caller: caller, logger: logger)
        } else {
            let visibility = values["visibility"].flatMap { $0 } ?? "WORKSPACE"
            if visibility == "WORKSPACE" {
                guard caller.canManageViews else { throw AtriumError(.forbidden, "Creating a workspace view needs the VIEWS permission") }
            } else if caller.userID == nil {
                throw AtriumError(.forbidden, "Only a signed-in user can create an unlisted view")
            }
        }
        try await checkReferences(entity, values, view: entity.isChild ? values["viewId"].flatMap { $0 }.flatMap(UUID.init(text:)) : nil,
                                  workspace: workspace, logger: logger)
        let sql = try ViewInput.insert(entity, values, workspace: workspace, extraColumn: entity.isChild ? nil : "createdByUserWorkspaceId") { sql in
            appendUserWorkspace(caller, workspace: workspace, to: &sql)
        }
        return try await write(entity, sql, workspace: workspace, logger: logger)
    }

    /// Changes a row's columns named in `input`; the row, rendered.
    public func update(_ entity: ViewEntity, id: UUID, input: [String: JSONValue], workspace: UUID, caller: Caller, logger: Logger) async throws -> ByteBuffer {
        let values = try ViewInput.values(of: entity, from: input, creating: false)
        let view = try await viewOf(entity, id: id, workspace: workspace, logger: logger)
        try await requireModify(view: view, workspace: workspace, caller: caller, logger: logger)
        try await checkReferences(entity, values, view: entity.isChild ? view : nil, workspace: workspace, logger: logger,
                                  object: entity.isChild ? nil : try await objectOf(view: view, logger: logger))
        var sql = try ViewInput.update(entity, values)
        appendRow(id, workspace: workspace, to: &sql)
        sql.append(" RETURNING \(ViewRendering(entity).object("t"))::text")
        return try await write(entity, sql, workspace: workspace, logger: logger)
    }

    /// Soft-deletes (sets `deletedAt`) or, with `destroy`, removes a row (a view with its children); the row as it was.
    public func delete(_ entity: ViewEntity, id: UUID, destroy: Bool, workspace: UUID, caller: Caller, logger: Logger) async throws -> ByteBuffer {
        let view = try await viewOf(entity, id: id, workspace: workspace, logger: logger)
        try await requireModify(view: view, workspace: workspace, caller: caller, logger: logger)
        var sql = SQLBuilder()
        let table = try SQLIdentifier(entity.table)
        if destroy {
            sql.append("DELETE FROM core.\(table) t")
        } else {
            sql.append("UPDATE core.\(table) t SET \"deletedAt\" = now(), \"updatedAt\" = now()")
        }
        // Only a live row (viewOf found one): a soft-deleted row cannot be destroyed through the API either.
        appendRow(id, workspace: workspace, to: &sql)
        sql.append(" RETURNING \(ViewRendering(entity).object("t"))::text")
        let deleted = try await write(entity, sql, workspace: workspace, logger: logger)
        if entity == .view, !destroy {
            // Its sidebar items go with it (a destroyed view takes them by its foreign key).
            var items = SQLBuilder()
            items.append("DELETE FROM core.\"navigationMenuItem\" WHERE \"viewId\" = ")
            items.bind(id.lowercased)
            items.append("::uuid")
            _ = try await database.firstText(items, effect: .writes, logger: logger)
        }
        return deleted
    }

    // MARK: - Rules

    /// ` WHERE t.id = … AND t.workspaceId = … AND t.deletedAt IS NULL`.
    private func appendRow(_ id: UUID, workspace: UUID, to sql: inout SQLBuilder) {
        sql.append(" WHERE t.\"id\" = ")
        sql.bind(id.lowercased)
        sql.append("::uuid AND t.\"workspaceId\" = ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid AND t.\"deletedAt\" IS NULL")
    }

    /// The caller's `userWorkspace` id in `workspace` as a subquery (NULL for an API key).
    private func appendUserWorkspace(_ caller: Caller, workspace: UUID, to sql: inout SQLBuilder) {
        sql.append("(SELECT uw.\"id\" FROM core.\"userWorkspace\" uw WHERE uw.\"userId\" = ")
        sql.bind(caller.userID?.lowercased)
        sql.append("::uuid AND uw.\"workspaceId\" = ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid)")
    }

    /// The view a row is (or belongs to).
    /// - Throws: ``AtriumError`` `.notFound` when the workspace has no such live row.
    private func viewOf(_ entity: ViewEntity, id: UUID, workspace: UUID, logger: Logger) async throws -> UUID {
        var sql = SQLBuilder()
        sql.append("SELECT t.\(entity.isChild ? "\"viewId\"" : "\"id\"")::text FROM core.\(try SQLIdentifier(entity.table)) t")
        appendRow(id, workspace: workspace, to: &sql)
        guard let text = try await database.firstText(sql, effect: .reads, logger: logger), let view = UUID(text: String(buffer: text)) else {
            throw Self.notFound(entity)
        }
        return view
    }

    /// The object a view shows.
    private func objectOf(view: UUID, logger: Logger) async throws -> UUID? {
        var sql = SQLBuilder()
        sql.append("SELECT \"objectMetadataId\"::text FROM core.\"view\" WHERE \"id\" = ")
        sql.bind(view.lowercased)
        sql.append("::uuid")
        return try await database.firstText(sql, effect: .reads, logger: logger).flatMap { UUID(text: String(buffer: $0)) }
    }

    /// - Throws: ``AtriumError`` `.notFound` when the workspace has no such live view, `.forbidden` when the caller
    ///   may not change it (no VIEWS flag, and not the owner of an unlisted view).
    private func requireModify(view: UUID, workspace: UUID, caller: Caller, logger: Logger) async throws {
        var sql = SQLBuilder()
        sql.append("SELECT (v.\"visibility\" <> 'WORKSPACE' AND v.\"createdByUserWorkspaceId\" IS NOT DISTINCT FROM ")
        appendUserWorkspace(caller, workspace: workspace, to: &sql)
        sql.append(" AND v.\"createdByUserWorkspaceId\" IS NOT NULL)::text FROM core.\"view\" v WHERE v.\"id\" = ")
        sql.bind(view.lowercased)
        sql.append("::uuid AND v.\"workspaceId\" = ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid AND v.\"deletedAt\" IS NULL")
        guard let owned = try await database.firstText(sql, effect: .reads, logger: logger) else { throw Self.notFound(.view) }
        guard caller.canManageViews || String(buffer: owned) == "true" else {
            throw AtriumError(.forbidden, "Changing this view needs the VIEWS permission (or being the owner of an unlisted view)")
        }
    }

    /// - Throws: ``AtriumError`` `.badRequest` unless every object, field and filter group `values` name belongs to the
    ///   workspace — fields to the view's object, filter groups to the view.
    private func checkReferences(
        _ entity: ViewEntity, _ values: [String: String?], view: UUID?, workspace: UUID, logger: Logger, object knownObject: UUID? = nil
    ) async throws {
        let fields = entity.columns.filter(\.isFieldReference).compactMap { values[$0.name].flatMap { $0 } }
        let groups = ["viewFilterGroupId", "parentViewFilterGroupId"].compactMap { values[$0].flatMap { $0 } }
        var object = knownObject
        if !entity.isChild, let named = values["objectMetadataId"].flatMap({ $0 }) {
            guard try await ViewInput.belongs("objectMetadata", id: named, to: workspace, on: database, logger: logger) else {
                throw AtriumError(.badRequest, "Object metadata \(named) not found in this workspace")
            }
            object = UUID(text: named)
        }
        if let view, object == nil { object = try await objectOf(view: view, logger: logger) }
        guard !fields.isEmpty || !groups.isEmpty else { return }
        var sql = SQLBuilder()
        sql.append("SELECT ((SELECT count(DISTINCT f.\"id\") FROM core.\"fieldMetadata\" f WHERE f.\"id\"::text = ANY(")
        sql.bind(fields)
        sql.append(") AND f.\"workspaceId\" = ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid AND f.\"objectMetadataId\" = ")
        sql.bind(object?.lowercased)
        sql.append("::uuid) = cardinality(ARRAY(SELECT DISTINCT unnest(")
        sql.bind(fields)
        sql.append("))) AND (SELECT count(DISTINCT g.\"id\") FROM core.\"viewFilterGroup\" g WHERE g.\"id\"::text = ANY(")
        sql.bind(groups)
        sql.append(") AND g.\"viewId\" = ")
        sql.bind(view?.lowercased)
        sql.append("::uuid AND g.\"deletedAt\" IS NULL) = cardinality(ARRAY(SELECT DISTINCT unnest(")
        sql.bind(groups)
        sql.append("))))::text")
        guard let valid = try await database.firstText(sql, effect: .reads, logger: logger), String(buffer: valid) == "true" else {
            throw AtriumError(.badRequest, "A field or filter group named in the input does not belong to this view's object or view")
        }
    }

    // MARK: - Statements

    private func text(_ sql: SQLBuilder, logger: Logger) async throws -> ByteBuffer {
        guard let text = try await database.firstText(sql, effect: .reads, logger: logger) else {
            throw AtriumError(.internalError, "The view query returned nothing")
        }
        return text
    }

    private func found(_ entity: ViewEntity, _ text: ByteBuffer?) throws -> ByteBuffer {
        guard let text else { throw Self.notFound(entity) }
        return text
    }

    /// Runs a write of `workspace`'s views, then drops (and announces) its cached views.
    private func write(_ entity: ViewEntity, _ sql: SQLBuilder, workspace: UUID, logger: Logger) async throws -> ByteBuffer {
        let written = try await ViewInput.write(sql, of: entity, on: database, notFound: Self.notFound(entity), logger: logger)
        await cache?.changed(workspace: workspace, logger: logger)
        return written
    }

    static func notFound(_ entity: ViewEntity) -> AtriumError {
        AtriumError(.notFound, "\(entity.typeName.dropFirst("Core".count)) not found")
    }
}
