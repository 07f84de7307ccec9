import AsyncAlgorithms
import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird
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
