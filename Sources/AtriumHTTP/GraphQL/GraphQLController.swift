import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The records GraphQL API: `POST /graphql` with `{query, variables, operationName}`, against the caller's workspace
/// schema (built from its metadata, see ``GraphQLSchemaBuilder``). Each root field is one SQL statement whose JSON
/// PostgreSQL renders; the response splices it in.
///
/// ```
/// curl -X POST localhost:3000/graphql -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
///   -d '{"query":"{ companies(first: 5) { edges { node { id name } } totalCount } }"}'
/// ```
struct GraphQLController {
    let records: RecordService
    let metadata: WorkspaceSchemaCache
    let permissions: PermissionsCache
    let schemas: GraphQLSchemaCache
    let limits: GraphQLLimits
    /// The largest request body accepted.
    static let maximumBodySize = 4 * 1024 * 1024

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.post { request, context in try await handle(request, context) }
        group.get { _, _ -> Response in
            throw AtriumError(.badRequest, "Send GraphQL requests with POST and a JSON body {\"query\": …}")
        }
    }

    func handle(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let buffer = try await request.body.collect(upTo: Self.maximumBodySize)
        let decoded: GraphQLExecutor.Request
        do {
            decoded = try JSONDecoder().decode(GraphQLExecutor.Request.self, from: Data(buffer.readableBytesView))
        } catch {
            let body = GraphQLErrorBody(message: "The body must be JSON: {\"query\": \"…\", \"variables\": {…}}", code: "BAD_USER_INPUT")
            return Self.json("{\"errors\":" + GraphQLExecutor.encode([body]) + "}", status: .badRequest)
        }
        // A request whose root field met a data model changed under it, or lost a deadlock, runs again when that is
        // safe (``GraphQLExecutor/Response/retryable``); the last attempt's answer is returned as it is.
        var workspace = try await metadata.schema(for: context.workspaceID, logger: context.logger)
        var last: GraphQLExecutor.Response?
        do {
            let result = try await RetryPolicy.run(onlyReads: true, refreshSnapshot: {
                workspace = try await metadata.newer(than: workspace, logger: context.logger) ?? workspace
            }) {
                let result = try await run(decoded, in: workspace, context)
                last = result
                if let retryable = result.retryable { throw retryable }
                return result
            }
            return Self.json(result.body, status: HTTPResponse.Status(code: result.status))
        } catch let error as AtriumError where RetryPolicy.allowsRetry(of: error, onlyReads: true) {
            guard let last else { throw error }
            return Self.json(last.body, status: HTTPResponse.Status(code: last.status))
        }
    }

    private func run(_ request: GraphQLExecutor.Request, in workspace: WorkspaceSchema, _ context: TenantRequestContext) async throws
        -> GraphQLExecutor.Response
    {
        let entry = try schemas.schema(for: workspace)
        let access = try await permissions.access(for: context.identity, in: workspace, logger: context.logger)
        let state = GraphQLRequestState(workspace: workspace, access: access, records: records, actor: context.identity.actor,
                                        logger: context.logger, maximumConcurrentRootFields: limits.maximumConcurrentRootFields)
        return await GraphQLExecutor(limits: limits).run(request, entry: entry, state: state)
    }

    /// A GraphQL response `body` with `status`; a 503 carries `Retry-After`.
    static func json(_ body: String, status: HTTPResponse.Status) -> Response {
        json(ByteBuffer(string: body), status: status)
    }

    /// A GraphQL response `body` (bytes) with `status`; a 503 carries `Retry-After`.
    static func json(_ body: ByteBuffer, status: HTTPResponse.Status) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if status == .serviceUnavailable { headers[.retryAfter] = APIError.retryAfterSeconds }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}

/// Answers errors raised before a GraphQL request runs (missing or invalid token, unknown workspace) in GraphQL's
/// shape, `{"errors":[{"message":…,"extensions":{"code":"UNAUTHENTICATED"}}]}`, keeping the HTTP status.
struct GraphQLErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as AtriumError {
            return Self.response(status: APIError(error).status, message: error.code == .internalError ? "Internal server error" : error.message,
                                 code: GraphQLErrorBody.code(error.code), atriumCode: error.code.description)
        }
    }

    /// `{"errors":[{"message":…,"extensions":{"code":…,"atriumCode":…}}]}` with `status`; a 503 carries `Retry-After`.
    static func response(status: HTTPResponse.Status, message: String, code: String, atriumCode: String) -> Response {
        let body = GraphQLErrorBody(message: message, code: code, atriumCode: atriumCode)
        return GraphQLController.json("{\"errors\":" + GraphQLExecutor.encode([body]) + "}", status: status)
    }
}
