import AtriumCore
import Foundation
import Logging
import Synchronization

/// What `/metadata` resolvers work with: the caller (absent for the public sign-up and sign-in operations), the
/// operations, and the workspace's metadata rows, read once per request and replaced after each mutation.
final class MetadataGraphQLContext: Sendable {
    let api: MetadataAPI
    let users: UsersAPI?
    /// Roles, API keys and the settings-flag check; nil when not configured (then flags are not checked).
    let permissions: PermissionsAPI?
    /// The caller's workspace and identity; nil for an anonymous request.
    let authentication: Authentication?
    /// The client's address, for login throttling.
    let clientAddress: String?
    let logger: Logger
    private let loaded = Mutex(CatalogState.none)

    /// The request's catalog: not read yet, being read (every resolver that needs it awaits that one read: 50
    /// aliased `objects` fields read it once, not 50 times), or read.
    private enum CatalogState {
        case none
        case reading(Task<MetadataCatalog, any Error>)
        case read(MetadataCatalog)
    }

    init(api: MetadataAPI, users: UsersAPI? = nil, permissions: PermissionsAPI? = nil, authentication: Authentication?,
         clientAddress: String? = nil, logger: Logger) {
        self.api = api
        self.users = users
        self.permissions = permissions
        self.authentication = authentication
        self.clientAddress = clientAddress
        self.logger = logger
    }

    /// The caller's workspace.
    /// - Throws: ``AtriumError`` `unauthenticated` for an anonymous request.
    var workspace: UUID {
        get throws { try requireAuthentication().workspaceID }
    }

    /// The caller's workspace and identity.
    /// - Throws: ``AtriumError`` `unauthenticated` for an anonymous request.
    func requireAuthentication() throws -> Authentication {
        guard let authentication else { throw AtriumError.missingToken() }
        return authentication
    }

    /// - Throws: ``AtriumError`` `.forbidden` unless the caller's role holds the settings flag `flag`.
    func require(_ flag: PermissionFlag) async throws {
        let authentication = try requireAuthentication()
        try await permissions?.require(flag, authentication, logger: logger)
    }

    /// The roles and API keys operations.
    func requirePermissions() throws -> PermissionsAPI {
        guard let permissions else { throw AtriumError(.unavailable, "Roles and API keys are not configured") }
        return permissions
    }

    /// The user operations.
    func requireUsers() throws -> UsersAPI {
        guard let users else { throw AtriumError(.unavailable, "Users and sign-in are not configured") }
        return users
    }

    /// The metadata rows as of this request's last change.
    func catalog() async throws -> MetadataCatalog {
        enum Next { case have(MetadataCatalog), await(Task<MetadataCatalog, any Error>) }
        let next: Next = try loaded.withLock { state in
            switch state {
            case .read(let catalog): return .have(catalog)
            case .reading(let task): return .await(task)
            case .none:
                let (api, workspace, logger) = (api, try workspace, logger)
                let task = Task { try await api.catalog(workspace, logger: logger) }
                state = .reading(task)
                return .await(task)
            }
        }
        switch next {
        case .have(let catalog):
            return catalog
        case .await(let task):
            do {
                let catalog = try await task.value
                loaded.withLock { state in if case .reading = state { state = .read(catalog) } }
                return catalog
            } catch {
                // The next resolver reads afresh.
                loaded.withLock { state in if case .reading = state { state = .none } }
                throw error
            }
        }
    }

    /// Keeps `catalog` (read after a mutation) for the rest of the request.
    func keep(_ catalog: MetadataCatalog) {
        loaded.withLock { $0 = .read(catalog) }
    }

    /// The resolver's context, typed.
    static func of(_ context: any Sendable) throws -> MetadataGraphQLContext {
        guard let context = context as? MetadataGraphQLContext else { throw AtriumError(.internalError, "Missing metadata context") }
        return context
    }
}
