import AtriumCore
import Foundation
import Hummingbird
import Logging

/// What every signed-in console page starts from: the session's member, their workspace's metadata snapshot and
/// their permissions (the same caches the API reads).
struct ConsoleWorkspace: Sendable {
    let authenticator: ConsoleAuthenticator
    let records: RecordService
    let metadata: WorkspaceSchemaCache
    let permissions: PermissionsCache

    /// The signed-in page context of `request`.
    /// - Throws: ``ConsoleRedirect`` to the sign-in page (keeping the page asked for) when the browser has no live
    ///   session; ``AtriumError`` `forbidden` for a suspended workspace.
    func signedIn(_ request: Request, _ context: AppRequestContext) async throws -> ConsolePage {
        guard let signedIn = try await authenticator.signedIn(request, logger: context.logger) else {
            let destination = request.method == .get ? ConsoleResponses.pathAndQuery(request) : Self.referredPath(request)
            throw ConsoleRedirect(location: ConsoleResponses.signIn(next: destination))
        }
        var logger = context.logger
        logger[metadataKey: "workspace"] = .string(signedIn.authentication.workspaceID.lowercased)
        let schema = try await metadata.schema(for: signedIn.authentication.workspaceID, logger: logger)
        let access = try await permissions.access(for: signedIn.authentication.identity, in: schema, logger: logger)
        let workspaces = try await authenticator.accounts.workspaces(ofUser: signedIn.session.userID, logger: logger)
        return ConsolePage(signedIn: signedIn, schema: schema, access: access, workspaces: workspaces, records: records, logger: logger)
    }

    /// The path and query of the page a form was posted from (its `Referer`), to come back to after signing in.
    static func referredPath(_ request: Request) -> String? {
        guard let referer = request.headers[.referer], let components = URLComponents(string: referer) else { return nil }
        guard let query = components.percentEncodedQuery else { return components.path }
        return components.path + "?" + query
    }

    /// Refuses a state change whose CSRF token (form field `csrf` or header `X-CSRF-Token`) is not the session's.
    static func requireCSRF(_ sent: String?, of signedIn: ConsoleSignedIn) throws {
        guard let sent, ConstantTime.equals(sent, signedIn.session.csrf) else {
            throw AtriumError(.forbidden, "This form has expired or did not come from this site. Reload the page and try again.")
        }
    }
}

/// A signed-in console request: who, in which workspace, with which permissions.
struct ConsolePage: Sendable {
    let signedIn: ConsoleSignedIn
    let schema: WorkspaceSchema
    let access: RecordAccess
    /// The user's workspaces (the switcher), the current one among them.
    let workspaces: [WorkspaceRecord]
    let records: RecordService
    let logger: Logger

    var workspaceID: UUID { signedIn.authentication.workspaceID }

    /// The objects of the sidebar: active, not system, readable by the member; by label.
    var navigableObjects: [WorkspaceSchema.Object] {
        schema.objects.filter { object in
            object.isActive && !object.isSystem && ((try? access.policy(for: object, in: schema).permissions.canReadObjectRecords) ?? false)
        }.sorted { $0.labelPlural.localizedStandardCompare($1.labelPlural) == .orderedAscending }
    }

    /// The active object named `plural`.
    /// - Throws: ``AtriumError`` `notFound`.
    func object(_ plural: String?) throws -> WorkspaceSchema.Object {
        guard let plural, let object = schema.object(namePlural: plural), object.isActive else {
            throw AtriumError(.notFound, "There is no object named '\(plural ?? "")' in this workspace")
        }
        return object
    }

    /// The scope of a read or write of `object`'s records as this member.
    func scope(_ object: WorkspaceSchema.Object) -> RecordScope {
        RecordScope(object, in: schema, access: access, actor: signedIn.authentication.identity.actor, logger: logger)
    }

    /// The policy of `object` for this member.
    func policy(_ object: WorkspaceSchema.Object) throws -> ObjectPolicy {
        try access.policy(for: object, in: schema)
    }

    /// The values every signed-in page's layout shows: title, member, workspace switcher, sidebar, CSRF token.
    func chrome(title: String, current: WorkspaceSchema.Object? = nil) -> [String: Any] {
        let current = current?.namePlural
        let workspaceName = workspaces.first { $0.id == workspaceID }.map(Self.name(of:)) ?? "Workspace"
        return [
            "title": title,
            "csrf": signedIn.session.csrf,
            "memberName": signedIn.memberName.isEmpty ? "Member" : signedIn.memberName,
            "workspaceName": workspaceName,
            "workspaces": workspaces.map { ["id": $0.id.lowercased, "name": Self.name(of: $0), "current": $0.id == workspaceID] },
            "severalWorkspaces": workspaces.count > 1,
            "canSettings": !ConsoleSettingsNavigation.items(current: "", page: self).isEmpty,
            "objects": navigableObjects.map { ["plural": $0.namePlural, "label": $0.labelPlural, "current": $0.namePlural == current] },
        ]
    }

    static func name(of workspace: WorkspaceRecord) -> String {
        workspace.displayName.flatMap { $0.isEmpty ? nil : $0 } ?? workspace.subdomain
    }
}
