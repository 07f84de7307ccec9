import AsyncAlgorithms
import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

extension RecordsController {
    /// `GET /rest/{plural}/export`: the records matching `filter` (and the view `viewId`'s filters), ordered by
    /// `order_by` (or the view's sorts), as a CSV file streamed as PostgreSQL writes it. The columns are the view's
    /// visible fields, or without a view every active non-system field the caller may read.
    func exportCSV(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let parameters = RESTQueryParameters(request)
        var filter = try parameters.filter
        var order = try parameters.order
        var fields: [WorkspaceSchema.Field]?
        if let text = parameters.string("viewId"), !text.isEmpty {
            let view = try await applyView(text, in: scope, filter: &filter, order: &order)
            let byID = Dictionary(scope.object.fields.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            fields = view.visibleFieldIds.compactMap { byID[$0] }
        }
        let export = try CSVExport(filter: filter, order: order, fields: fields, in: scope)
        let database = records.database
        let body = ResponseBody { writer in
            // The query runs in its own task and hands each chunk over only when the client took the one before: memory
            // stays flat with a slow client, and a client gone cancels the query's task, which ends its transaction.
            let chunks = AsyncThrowingChannel<ByteBuffer, any Error>()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await export.stream(on: database) { chunk in
                            await chunks.send(chunk)
                            try Task.checkCancellation()
                        }
                        chunks.finish()
                    } catch {
                        chunks.fail(error)
                    }
                }
                do {
                    for try await chunk in chunks { try await writer.write(chunk) }
                } catch {
                    group.cancelAll()
                    throw error
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8",
            .contentDisposition: "attachment; filename=\"\(scope.object.namePlural).csv\"",
        ], body: body)
    }
}

extension RecordsController {
    /// `POST /rest/{plural}/import`: a CSV file (the body, or the file part of a `multipart/form-data` body) imported
    /// into the object's records. Query parameters (or form fields): `dryRun`, `atomic`, `upsert` (default true) and
    /// `mapping` (a JSON object, header → field name or label, null to skip).
    ///
    /// Answers 200 with the report when the file was imported in the request (or checked, with `dryRun=true`); 400
    /// with it when `atomic=true` and rows were refused; 202 with the queued import (and its `Location`) when the file
    /// has more rows than the request imports.
    func importCSV(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let scope = try await resolve(context)
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: importMaximumBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw AtriumError(.badRequest, "The file is larger than CSV_IMPORT_MAX_BYTES (\(importMaximumBytes) bytes)")
        }
        var fields: [String: String] = [:]
        let parameters = RESTQueryParameters(request)
        for name in ["dryRun", "atomic", "upsert", "mapping"] { fields[name] = parameters.string(name) }
        var file = Array(buffer.readableBytesView)
        if let contentType = request.headers[.contentType], let boundary = MultipartFormData.boundary(ofContentType: contentType) {
            let form = try MultipartFormData(file, boundary: boundary)
            guard let part = form.parts.first(where: { $0.fileName != nil }) ?? form.parts.first(where: { $0.name == "file" }) else {
                throw AtriumError(.badRequest, "The multipart body has no file part")
            }
            for other in form.parts where other.fileName == nil {
                if let name = other.name, fields[name] == nil { fields[name] = String(decoding: other.body, as: UTF8.self) }
            }
            file = Array(part.body)
        }
        guard !file.isEmpty else { throw AtriumError(.badRequest, "The request body is empty; send a CSV file") }
        let options = try Self.importOptions(fields)
        let report = try await importer.run(file, options: options, in: scope)
        let body = ByteBuffer(bytes: try JSONEncoder.sortedKeys.encode(["data": ["import": report]]))
        switch report.status {
        case "QUEUED":
            let location = "/rest/\(scope.object.namePlural)/imports/\(report.id ?? "")"
            return Response(status: .accepted, headers: [.contentType: "application/json; charset=utf-8", .location: location],
                            body: ResponseBody(byteBuffer: body))
        case "FAILED":
            struct Refusal: Encodable {
                let statusCode = 400, error = "BadRequestException", code = "validation_failed"
                let messages: [String]
                let data: [String: CSVImportReport]
            }
            let refusal = Refusal(messages: ["\(report.failedCount) rows are invalid; with atomic=true nothing was imported"], data: ["import": report])
            return Response(status: .badRequest, headers: [.contentType: "application/json; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoder.sortedKeys.encode(refusal))))
        default:
            return json(body)
        }
    }

    /// `GET /rest/{plural}/imports/{id}`: a queued import's progress.
    func importReport(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        try await queuedImport(context, CSVImportJobs.report)
    }

    /// `DELETE /rest/{plural}/imports/{id}`: cancels a queued import before its next range of rows.
    func cancelImport(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        try await queuedImport(context, CSVImportJobs.cancel)
    }

    /// Runs `action` on the import `:id` of the object (with the `IMPORT_CSV` flag) and answers its report.
    private func queuedImport(
        _ context: TenantRequestContext,
        _ action: (UUID, WorkspaceSchema.Object, UUID, Database, Logger) async throws -> CSVImportReport
    ) async throws -> Response {
        let scope = try await resolve(context)
        try scope.access.require(.importCSV)
        let report = try await action(recordID(context), scope.object, context.workspaceID, records.database, context.logger)
        return json(ByteBuffer(bytes: try JSONEncoder.sortedKeys.encode(["data": ["import": report]])))
    }

    /// The import's options from query parameters or form fields.
    static func importOptions(_ fields: [String: String]) throws -> CSVImportOptions {
        func flag(_ name: String, default value: Bool) throws -> Bool {
            guard let text = fields[name], !text.isEmpty else { return value }
            switch text.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: throw AtriumError(.badRequest, "\(name) must be true or false")
            }
        }
        var mapping: [String: String?] = [:]
        if let text = fields["mapping"], !text.isEmpty {
            guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
                throw AtriumError(.badRequest, "mapping must be a JSON object: {\"<column header>\": \"<field name>\" or null}")
            }
            for (header, target) in object {
                switch target {
                case .string(let name): mapping[header] = .some(name)
                case .null: mapping[header] = .some(nil)
                default: throw AtriumError(.badRequest, "mapping of '\(header)' must be a field name or null")
                }
            }
        }
        return CSVImportOptions(dryRun: try flag("dryRun", default: false), atomic: try flag("atomic", default: false),
                                upsert: try flag("upsert", default: true), mapping: mapping)
    }
}

extension JSONEncoder {
    /// An encoder writing keys in order (stable answers).
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
