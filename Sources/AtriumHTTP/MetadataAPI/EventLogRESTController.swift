import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /rest/metadata/eventLogs`: the workspace's audit log, newest first (needs the SECURITY settings flag).
///
/// Query parameters, each optional: `objectName` (singular, e.g. `company`), `name` (an event name, e.g.
/// `company.updated`), `recordId`, `workspaceMemberId`, `userId`, `apiKeyId`, `since` and `until` (ISO 8601 times),
/// `limit` (1–500, default 50) and `cursor` (the previous page's `endCursor`). The answer is
/// `{"data":{"eventLogs":[{id, name, objectMetadataId, recordId, workspaceMemberId, userId, apiKeyId, properties,
/// createdAt}]},"pageInfo":{"hasNextPage":…,"endCursor":…}}`.
struct EventLogRESTController: Sendable {
    let permissions: PermissionsAPI
    let log: EventLog

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get("eventLogs") { request, context in try await list(request, context) }
    }

    func list(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        try await permissions.require(.security, Authentication(workspaceID: context.workspaceID, identity: context.identity),
                                      logger: context.logger)
        let parameters = QueryString(request.uri.query)
        var query = EventLog.Query()
        query.objectName = parameters["objectName"]
        query.name = parameters["name"]
        query.recordID = try Self.uuid(parameters, "recordId")
        query.workspaceMemberID = try Self.uuid(parameters, "workspaceMemberId")
        query.userID = try Self.uuid(parameters, "userId")
        query.apiKeyID = try Self.uuid(parameters, "apiKeyId")
        query.cursor = try Self.uuid(parameters, "cursor")
        query.since = try Self.date(parameters, "since")
        query.until = try Self.date(parameters, "until")
        if let text = parameters["limit"] {
            guard let limit = Int(text), (1...EventLog.maximumLimit).contains(limit) else {
                throw AtriumError(.badRequest, "limit must be an integer from 1 to \(EventLog.maximumLimit)")
            }
            query.limit = limit
        }
        let body = try await log.read(query, workspace: context.workspaceID, logger: context.logger)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    private static func uuid(_ parameters: QueryString, _ name: String) throws -> UUID? {
        guard let text = parameters[name] else { return nil }
        guard let id = UUID(text: text) else { throw AtriumError(.badRequest, "\(name) must be a UUID") }
        return id
    }

    private static func date(_ parameters: QueryString, _ name: String) throws -> Date? {
        guard let text = parameters[name] else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { throw AtriumError(.badRequest, "\(name) must be an ISO 8601 time") }
        return date
    }
}
