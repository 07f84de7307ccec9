import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The records REST API at `/rest`, with Twenty's routes and envelopes, for every active object (standard and custom)
/// addressed by its plural name.
///
/// Handlers only translate HTTP to the shared query model and back; ``RecordService`` does the work in one SQL
/// statement whose JSON output is the response body.
struct RecordsController {
    let records: RecordService
    let metadata: WorkspaceSchemaCache
    let permissions: PermissionsCache
    let importer: CSVImporter
    /// The largest CSV file an import accepts (`CSV_IMPORT_MAX_BYTES`).
    let importMaximumBytes: Int
    /// The largest request body accepted.
    static let maximumBodySize = 16 * 1024 * 1024

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get("batch/:plural") { _, _ -> Response in throw AtriumError(.badRequest, "Use POST to create records in batch") }
        group.post("batch/:plural") { request, context in try await retrying(request, context, createMany) }
        group.patch("restore/:plural") { request, context in try await retrying(request, context, restoreMany) }
        group.patch("restore/:plural/:id") { request, context in try await retrying(request, context, restoreOne) }

        group.get(":plural") { request, context in try await retrying(request, context, findMany) }
        group.post(":plural") { request, context in try await retrying(request, context, createOne) }
        group.patch(":plural") { request, context in try await retrying(request, context, updateMany) }
        group.delete(":plural") { request, context in try await retrying(request, context, deleteMany) }
        group.patch(":plural/restore") { request, context in try await retrying(request, context, restoreMany) }

        group.get(":plural/export") { request, context in try await exportCSV(request, context) }
        group.post(":plural/import") { request, context in try await importCSV(request, context) }
        group.get(":plural/imports/:id") { request, context in try await importReport(request, context) }
        group.delete(":plural/imports/:id") { request, context in try await cancelImport(request, context) }
        group.get(":plural/groupBy") { request, context in try await retrying(request, context, groupBy) }
        group.post(":plural/duplicates") { request, context in try await retrying(request, context, findDuplicates) }
        group.patch(":plural/merge") { request, context in try await retrying(request, context, merge) }

        group.get(":plural/:id") { request, context in try await retrying(request, context, findOne) }
        group.patch(":plural/:id") { request, context in try await retrying(request, context, updateOne) }
        group.put(":plural/:id") { request, context in try await retrying(request, context, updateOne) }
        group.delete(":plural/:id") { request, context in try await retrying(request, context, deleteOne) }
        group.patch(":plural/:id/restore") { request, context in try await retrying(request, context, restoreOne) }
    }

    /// Runs `handler`, again when its statement (or transaction) failed in a way a new attempt can succeed
    /// (``RetryPolicy``). The body is collected first, so a new attempt reads it again.
    func retrying(
        _ request: Request, _ context: TenantRequestContext, _ handler: (Request, TenantRequestContext) async throws -> Response
    ) async throws -> Response {
        var request = request
        if request.method != .get { _ = try await request.collectBody(upTo: Self.maximumBodySize) }
        return try await RetryPolicy.run(onlyReads: request.method == .get, refreshSnapshot: {
            let cached = try await metadata.schema(for: context.workspaceID, logger: context.logger)
            _ = try await metadata.newer(than: cached, logger: context.logger)
        }, { try await handler(request, context) })
    }

    // MARK: - Handlers

    func findMany(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let parameters = RESTQueryParameters(request)
        var page = try parameters.page
        if let text = parameters.string("viewId"), !text.isEmpty {
            _ = try await applyView(text, in: scope, filter: &page.filter, order: &page.order)
        }
        let tree = RESTEnvelopes.page(page, records: try parameters.selection, of: scope.object)
        return json(try await records.findMany(tree, in: scope))
    }

    /// Narrows `filter` by the saved view `text` (its filters compiled for the caller) and orders by its sorts when
    /// `order` is empty; returns the view.
    func applyView(_ text: String, in scope: RecordScope, filter: inout RecordFilter?, order: inout [OrderTerm]) async throws -> ViewDefinition {
        let (definition, compiler) = try await view(text, in: scope)
        let compiled = try compiler.compile(definition)
        filter = [compiled.filter, filter].compactMap { $0 }.reduce(nil) { combined, part in combined.map { .and([$0, part]) } ?? part }
        if order.isEmpty { order = compiled.order }
        return definition
    }

    /// A saved view of the object (`viewId`, beyond Twenty's REST for lists) and the compiler of its filters for the
    /// caller.
    private func view(_ text: String, in scope: RecordScope) async throws -> (ViewDefinition, ViewFilterCompiler) {
        guard let id = UUID(text: text) else { throw AtriumError(.badRequest, "viewId must be a UUID") }
        return try await ViewStore(database: records.database, cache: records.views).compiler(for: id, in: scope)
    }

    func findOne(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let selection = try RESTQueryParameters(request).selection
        return json(try await records.findOne(.id(try recordID(context)), selection, envelope: .data(scope.object.nameSingular),
                                              in: scope))
    }

    func createOne(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let parameters = RESTQueryParameters(request)
        let body = try await self.body(request, context)
        let result = try await records.create([body], upsert: try parameters.flag("upsert"), many: false, try parameters.selection,
                                              envelope: RESTEnvelopes.named("create", many: false, scope.object), in: scope)
        return json(result, status: .created)
    }

    func createMany(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let parameters = RESTQueryParameters(request)
        guard case .array(let inputs) = try await body(request, context) else {
            throw AtriumError(.badRequest, "The body of a batch create must be a JSON array of records")
        }
        guard !inputs.isEmpty else { throw AtriumError(.badRequest, "The body must be a non-empty array of records") }
        let result = try await records.create(inputs, upsert: try parameters.flag("upsert"), many: true, try parameters.selection,
                                              envelope: RESTEnvelopes.named("create", many: true, scope.object), in: scope)
        return json(result, status: .created)
    }

    func updateOne(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let id = try recordID(context)
        let selection = try RESTQueryParameters(request).selection
        let body = try await self.body(request, context)
        return json(try await records.update(.one(id), body, selection, envelope: RESTEnvelopes.named("update", many: false, scope.object), in: scope))
    }

    func updateMany(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let parameters = RESTQueryParameters(request)
        let filter = try requiredFilter(parameters, action: "update")
        let body = try await self.body(request, context)
        return json(try await records.update(.matching(filter), body, try parameters.selection,
                                             envelope: RESTEnvelopes.named("update", many: true, scope.object), in: scope))
    }

    func deleteOne(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let soft = try RESTQueryParameters(request).flag("soft_delete")
        return json(try await records.delete(.one(try recordID(context)), soft: soft, Self.deletedRecord,
                                             envelope: RESTEnvelopes.named("delete", many: false, scope.object), in: scope))
    }

    func deleteMany(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let parameters = RESTQueryParameters(request)
        let soft = try parameters.flag("soft_delete")
        let filter = try requiredFilter(parameters, action: soft ? "delete" : "destroy")
        return json(try await records.delete(.matching(filter), soft: soft, Self.deletedRecord,
                                             envelope: RESTEnvelopes.named("delete", many: true, scope.object), in: scope))
    }

    /// What REST answers of a deleted record: its id.
    static let deletedRecord = RecordTree([("id", .field("id"))])

    func restoreOne(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let selection = try RESTQueryParameters(request).selection
        return json(try await records.restore(.one(try recordID(context)), selection,
                                              envelope: RESTEnvelopes.named("restore", many: false, scope.object), in: scope))
    }

    func restoreMany(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let parameters = RESTQueryParameters(request)
        let filter = try requiredFilter(parameters, action: "restore")
        return json(try await records.restore(.matching(filter), try parameters.selection,
                                              envelope: RESTEnvelopes.named("restore", many: true, scope.object), in: scope))
    }

    func groupBy(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let parameters = RESTQueryParameters(request)
        var query = try parameters.groupBy
        if let text = parameters.string("viewId"), !text.isEmpty {
            let (definition, compiler) = try await view(text, in: scope)
            query = try compiler.groupBy(definition, request: query)
        }
        return json(try await records.groupBy(query, envelope: .data(scope.object.namePlural + "GroupBy"), in: scope))
    }

    /// `POST /rest/{plural}/duplicates` with `{"ids":[…]}` or `{"data":[…]}`.
    func findDuplicates(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        guard case .object(let body) = try await self.body(request, context) else {
            throw AtriumError(.badRequest, "The body must be a JSON object with \"ids\" or \"data\"")
        }
        let ids = try body["ids"].map { try Self.uuids($0, name: "ids") }
        var data: [JSONValue]?
        if let given = body["data"] {
            guard case .array(let records) = given else { throw AtriumError(.badRequest, "\"data\" must be an array of records") }
            data = records
        }
        let selection = try RESTQueryParameters(request).selection
        // Twenty's REST answers an empty id list with no duplicates rather than an error.
        if let ids, ids.isEmpty, data == nil {
            try scope.access.policy(for: scope.object, in: scope.workspace).require(.read)
            return json(ByteBuffer(string: #"{"data":[]}"#))
        }
        return json(try await records.findDuplicates(ids: ids, data: data, RESTEnvelopes.duplicates(records: selection, of: scope.object),
                                                     envelope: .data(), in: scope))
    }

    /// `PATCH /rest/{plural}/merge` with `{"ids":[…],"conflictPriorityIndex":0,"dryRun":false}`.
    func merge(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let selection = try RESTQueryParameters(request).selection
        guard case .object(let body) = try await self.body(request, context), let idsValue = body["ids"] else {
            throw AtriumError(.badRequest, "The body must be a JSON object with \"ids\" and \"conflictPriorityIndex\"")
        }
        let index = try WholeNumber.required(body["conflictPriorityIndex"] ?? .null, "conflictPriorityIndex", in: WholeNumber.int32)
        var dryRun = false
        if let flag = body["dryRun"] {
            guard case .bool(let value) = flag else { throw AtriumError(.badRequest, "dryRun must be true or false") }
            dryRun = value
        }
        return json(try await records.merge(ids: try Self.uuids(idsValue, name: "ids"), priority: index, dryRun: dryRun,
                                            selection, envelope: RESTEnvelopes.merge(scope.object), in: scope))
    }

    // MARK: - Helpers

    static func uuids(_ value: JSONValue, name: String) throws -> [UUID] {
        guard case .array(let items) = value else { throw AtriumError(.badRequest, "\"\(name)\" must be an array of UUIDs") }
        return try items.map { item in
            guard case .string(let text) = item, let id = UUID(text: text) else {
                throw AtriumError(.badRequest, "\"\(name)\" must be an array of UUIDs")
            }
            return id
        }
    }

    /// The object named by the `:plural` segment, in the caller's workspace, with the caller's access.
    /// - Throws: 400 for an unknown name; for a singular name the message suggests the plural.
    func resolve(_ context: TenantRequestContext) async throws -> RecordScope {
        let name = context.parameters.get("plural") ?? ""
        let schema = try await metadata.schema(for: context.workspaceID, logger: context.logger)
        let access = try await permissions.access(for: context.identity, in: schema, logger: context.logger)
        if let object = schema.object(namePlural: name), object.isActive {
            return RecordScope(object, in: schema, access: access, actor: context.identity.actor, logger: context.logger)
        }
        if let object = schema.object(nameSingular: name), object.isActive {
            throw AtriumError(.badRequest, "object '\(name)' not found. Did you mean '\(object.namePlural)'?")
        }
        throw AtriumError(.badRequest, "object '\(name)' not found. eg: companies")
    }

    func recordID(_ context: TenantRequestContext) throws -> UUID {
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(text: text) else { throw AtriumError(.badRequest, "'\(text)' is not a valid UUID") }
        return id
    }

    /// Bulk changes need a filter: a bare `PATCH /rest/companies` must not touch every record by accident. The message
    /// is Twenty's (its delete and destroy handlers say it; its tests match it).
    func requiredFilter(_ parameters: RESTQueryParameters, action: String) throws -> RecordFilter {
        guard let filter = try parameters.filter else {
            let change = ["delete": "deletion", "destroy": "deletion", "update": "update", "restore": "restoration"][action] ?? action
            throw AtriumError(.badRequest, "Filters are mandatory for bulk \(action) operations. "
                + "Please provide at least one filter to prevent accidental \(change) of all records.")
        }
        return filter
    }

    /// The request body as JSON.
    func body(_ request: Request, _ context: TenantRequestContext) async throws -> JSONValue {
        let buffer = try await request.body.collect(upTo: Self.maximumBodySize)
        guard buffer.readableBytes > 0 else { throw AtriumError(.badRequest, "The request body is empty; send a JSON object") }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
        } catch {
            throw AtriumError(.badRequest, "The request body is not valid JSON")
        }
    }

    /// A JSON response whose body is the bytes PostgreSQL rendered, as the row held them.
    func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: body))
    }
}
