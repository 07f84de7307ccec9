import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird

/// Twenty's saved-view REST routes under `/rest/metadata/`: `views`, `viewFields`, `viewFilters`, `viewFilterGroups`,
/// `viewSorts` and `viewGroups`, each with
/// - `GET` → `{"data": [...], "pageInfo": {...}, "totalCount": n}`, filtered by `objectMetadataId` (views) or `viewId`
///   (children), paged by `limit` (1–1000, default 1000) and `starting_after` (an id); views come with their children;
/// - `GET /{id}` → the row (404 when the workspace has none by that id);
/// - `POST` (the create input) → 201 the row;
/// - `PATCH /{id}` (the columns to change, flat or as `{"update": {…}}`) → the row;
/// - `DELETE /{id}` → `{"success": true}` (soft delete; `?destroy=true` removes it, beyond Twenty's REST).
/// Who may do what is ``ViewStore``'s rule.
struct ViewsRESTController: Sendable {
    let permissions: PermissionsAPI
    let views: ViewStore

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        for entity in ViewEntity.all {
            let path = entity.collection
            group.get(RouterPath(path)) { request, context in try await list(entity, request, context) }
            group.post(RouterPath(path)) { request, context in try await create(entity, request, context) }
            group.get(RouterPath("\(path)/:id")) { _, context in try await one(entity, context) }
            group.patch(RouterPath("\(path)/:id")) { request, context in try await update(entity, request, context) }
            group.delete(RouterPath("\(path)/:id")) { request, context in try await delete(entity, request, context) }
        }
    }

    func list(_ entity: ViewEntity, _ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let query = QueryString(request.uri.query)
        func uuid(_ name: String) throws -> UUID? {
            guard let text = query[name], !text.isEmpty else { return nil }
            guard let id = UUID(text: text) else { throw AtriumError(.badRequest, "\(name) must be a UUID") }
            return id
        }
        var limit = ViewStore.pageSize
        if let text = query["limit"] {
            guard let parsed = Int(text) else { throw AtriumError(.badRequest, "limit must be an integer") }
            limit = parsed
        }
        if query["ending_before"] != nil { throw AtriumError(.badRequest, "ending_before is not supported; page forward with starting_after") }
        let body = try await views.list(entity, parent: try uuid(entity.isChild ? "viewId" : "objectMetadataId"), limit: limit,
                                        startingAfter: try uuid("starting_after"), workspace: context.workspaceID,
                                        caller: try await caller(context), logger: context.logger)
        return Self.response(body)
    }

    func one(_ entity: ViewEntity, _ context: TenantRequestContext) async throws -> Response {
        Self.response(try await views.one(entity, id: try MetadataRESTController.id(context), workspace: context.workspaceID, logger: context.logger))
    }

    func create(_ entity: ViewEntity, _ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let input = try await MetadataRESTController.body(request, context: context)
        let body = try await views.create(entity, input: input, workspace: context.workspaceID, caller: try await caller(context), logger: context.logger)
        return Self.response(body, status: .created)
    }

    func update(_ entity: ViewEntity, _ request: Request, _ context: TenantRequestContext) async throws -> Response {
        var input = try await MetadataRESTController.body(request, context: context)
        if case .object(let update)? = input["update"], input.count == 1 { input = update }
        let body = try await views.update(entity, id: try MetadataRESTController.id(context), input: input, workspace: context.workspaceID,
                                          caller: try await caller(context), logger: context.logger)
        return Self.response(body)
    }

    func delete(_ entity: ViewEntity, _ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let destroy = QueryString(request.uri.query)["destroy"] == "true"
        _ = try await views.delete(entity, id: try MetadataRESTController.id(context), destroy: destroy, workspace: context.workspaceID,
                                   caller: try await caller(context), logger: context.logger)
        return try MetadataRESTController.json(["success": true])
    }

    private func caller(_ context: TenantRequestContext) async throws -> ViewStore.Caller {
        try await permissions.viewCaller(Authentication(workspaceID: context.workspaceID, identity: context.identity), logger: context.logger)
    }

    static func response(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}
