import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// REST metadata routes, `/rest/metadata/objects[/{id}]` and `/rest/metadata/fields[/{id}]`, in Twenty's shapes.
///
/// Twenty's REST metadata API runs the matching metadata GraphQL operation and answers with its cleaned `data`:
/// - list: `{"data": {"objects": [...]}, "pageInfo": {"hasNextPage", "startCursor", "endCursor"}, "totalCount": n}`
///   (`limit` ≤ 1000, default 1000; `starting_after` / `ending_before` cursors);
/// - one: `{"data": {"object": {...}}}`; create (201): `{"data": {"createOneObject": {...}}}`;
///   update (PATCH, or PUT): `{"data": {"updateOneObject": {...}}}`; delete: `{"data": {"deleteOneObject": {"id": ...}}}`;
/// the same with `field`/`fields`/`…OneField`.
///
/// Changes need the DATA_MODEL settings flag (when `permissions` is set).
struct MetadataRESTController: Sendable {
    let api: MetadataAPI
    var permissions: PermissionsAPI? = nil

    /// The two resources and their names in responses.
    enum Resource: String, CaseIterable, Sendable {
        case objects, fields
        var singular: String { self == .objects ? "object" : "field" }
        var capitalized: String { self == .objects ? "Object" : "Field" }
    }

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        for resource in Resource.allCases {
            let path = RouterPath(stringLiteral: resource.rawValue)
            let item = RouterPath(stringLiteral: "\(resource.rawValue)/:id")
            group.get(path) { request, context in try await list(resource, request: request, context: context) }
            group.get(item) { _, context in try await one(resource, context: context) }
            group.post(path) { request, context in try await create(resource, request: request, context: context) }
            group.patch(item) { request, context in try await update(resource, request: request, context: context) }
            group.put(item) { request, context in try await update(resource, request: request, context: context) }
            group.delete(item) { _, context in try await delete(resource, context: context) }
            for method in [HTTPRequest.Method.patch, .put, .delete] {
                group.on(path, method: method) { _, _ -> Response in
                    let verb = method == .delete ? "delete" : "update"
                    throw AtriumError(.badRequest, "\(verb) \(resource.singular) query invalid. Id missing. eg: "
                                      + "/rest/metadata/\(resource.singular)/0d4389ef-ea9c-4ae8-ada1-1cddc440fb56")
                }
            }
        }
    }

    // MARK: - Handlers

    func list(_ resource: Resource, request: Request, context: TenantRequestContext) async throws -> Response {
        let query = QueryString(request.uri.query)
        var limit = MetadataCatalog.maximumPageSize
        if let text = query["limit"] {
            guard let parsed = Int(text), parsed >= 0 else {
                throw AtriumError(.badRequest, "limit must be a non-negative integer")
            }
            limit = min(parsed, MetadataCatalog.maximumPageSize)
        }
        let after = query["starting_after"]
        let before = query["ending_before"]
        let catalog = try await api.catalog(context.workspaceID, logger: context.logger)
        let items: [JSONValue]
        let info: (next: Bool, previous: Bool, start: String?, end: String?, total: Int)
        switch resource {
        case .objects:
            let page = try MetadataCatalog.page(catalog.objects, id: \.id, first: before == nil ? limit : nil, after: after,
                                                last: before == nil ? nil : limit, before: before)
            items = page.items.map { MetadataJSON.object($0.item, catalog: catalog) }
            info = (page.hasNextPage, page.hasPreviousPage, page.startCursor, page.endCursor, page.totalCount)
        case .fields:
            let page = try MetadataCatalog.page(catalog.fields, id: \.id, first: before == nil ? limit : nil, after: after,
                                                last: before == nil ? nil : limit, before: before)
            items = page.items.map { MetadataJSON.field($0.item, catalog: catalog) }
            info = (page.hasNextPage, page.hasPreviousPage, page.startCursor, page.endCursor, page.totalCount)
        }
        return try Self.json([
            "data": [resource.rawValue: .array(items)],
            "pageInfo": [
                "hasNextPage": .bool(info.next), "hasPreviousPage": .bool(info.previous),
                "startCursor": info.start.map(JSONValue.string) ?? .null, "endCursor": info.end.map(JSONValue.string) ?? .null,
            ],
            "totalCount": .number(Double(info.total)),
        ])
    }

    func one(_ resource: Resource, context: TenantRequestContext) async throws -> Response {
        let id = try Self.id(context)
        let value: JSONValue = switch resource {
        case .objects:
            Self.render(try await api.object(id, workspace: context.workspaceID, logger: context.logger))
        case .fields:
            Self.render(try await api.field(id, workspace: context.workspaceID, logger: context.logger))
        }
        return try Self.json(["data": [resource.singular: value]])
    }

    func create(_ resource: Resource, request: Request, context: TenantRequestContext) async throws -> Response {
        try await requireDataModel(context)
        let input = try await Self.body(request, context: context)
        let value: JSONValue = switch resource {
        case .objects: Self.render(try await api.createObject(input, workspace: context.workspaceID, logger: context.logger))
        case .fields: Self.render(try await api.createField(input, workspace: context.workspaceID, logger: context.logger))
        }
        return try Self.json(["data": ["createOne\(resource.capitalized)": value]], status: .created)
    }

    func update(_ resource: Resource, request: Request, context: TenantRequestContext) async throws -> Response {
        try await requireDataModel(context)
        let id = try Self.id(context)
        let input = try await Self.body(request, context: context)
        let value: JSONValue = switch resource {
        case .objects: Self.render(try await api.updateObject(id, input, workspace: context.workspaceID, logger: context.logger))
        case .fields: Self.render(try await api.updateField(id, input, workspace: context.workspaceID, logger: context.logger))
        }
        return try Self.json(["data": ["updateOne\(resource.capitalized)": value]])
    }

    func delete(_ resource: Resource, context: TenantRequestContext) async throws -> Response {
        try await requireDataModel(context)
        let id = try Self.id(context)
        switch resource {
        case .objects: _ = try await api.deleteObject(id, workspace: context.workspaceID, logger: context.logger)
        case .fields: _ = try await api.deleteField(id, workspace: context.workspaceID, logger: context.logger)
        }
        return try Self.json(["data": ["deleteOne\(resource.capitalized)": ["id": .string(id.lowercased)]]])
    }

    // MARK: - Helpers

    func requireDataModel(_ context: TenantRequestContext) async throws {
        try await permissions?.require(.dataModel, Authentication(workspaceID: context.workspaceID, identity: context.identity), logger: context.logger)
    }

    static func render(_ result: (ObjectMetadataRecord, MetadataCatalog)) -> JSONValue {
        MetadataJSON.object(result.0, catalog: result.1)
    }

    static func render(_ result: (FieldMetadataRecord, MetadataCatalog)) -> JSONValue {
        MetadataJSON.field(result.0, catalog: result.1)
    }

    static func id(_ context: TenantRequestContext) throws -> UUID {
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(text: text) else { throw AtriumError(.badRequest, "\"\(text)\" is not a valid UUID") }
        return id
    }

    static func body(_ request: Request, context: TenantRequestContext) async throws -> [String: JSONValue] {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        guard buffer.readableBytes > 0 else { throw AtriumError(.badRequest, "The request body must be a JSON object") }
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)) else {
            throw AtriumError(.badRequest, "The request body must be a JSON object")
        }
        return object
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
