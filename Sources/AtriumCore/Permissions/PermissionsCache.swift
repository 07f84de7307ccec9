import Foundation
import Logging
import Synchronization

/// Workspace permissions (``WorkspacePermissions``), cached in process and in the shared store (Redis), PostgreSQL
/// (one query, ``PermissionsLoader``) behind them.
///
/// Coherence: the metadata snapshot's. Every role, permission or role-assignment change commits through
/// ``WorkspaceSchemaCache/change(_:logger:_:)``, which bumps the workspace's metadata version and announces it. A
/// cached value is used while its version is at least the version of the metadata snapshot the request works with, so
/// it is as fresh as that snapshot (in step on every instance within the metadata cache's revalidation interval and
/// at once on an announcement). The shared store's key carries the version, so a stale value is never read from it.
///
/// ```swift
/// let schema = try await metadata.schema(for: workspace, logger: logger)
/// let permissions = try await permissionsCache.permissions(for: schema, logger: logger)
/// let role = permissions.role(of: identity)
/// ```
public final class PermissionsCache: Sendable {
    let loader: PermissionsLoader
    let store: (any MetadataSharedStore)?
    let capacity: Int
    let sharedExpiration: Duration
    private let entries = Mutex([UUID: WorkspacePermissions]())

    /// - Parameters:
    ///   - database: Where permission rows are read when no cache has them.
    ///   - store: The shared cache (Redis); nil for a process-local cache.
    ///   - capacity: The most workspaces kept in process.
    public init(database: Database, store: (any MetadataSharedStore)?, capacity: Int = 10_000,
                sharedExpiration: Duration = .seconds(7 * 24 * 3600)) {
        self.loader = PermissionsLoader(database: database)
        self.store = store
        self.capacity = max(capacity, 1)
        self.sharedExpiration = sharedExpiration
    }

    /// The permissions of `schema`'s workspace, at least as recent as `schema`.
    /// - Parameter reload: Skip both caches (a role lookup missed: the caller may hold a role newer than the snapshot).
    public func permissions(for schema: WorkspaceSchema, reload: Bool = false, logger: Logger) async throws -> WorkspacePermissions {
        let workspace = schema.workspaceID
        if !reload, let local = entries.withLock({ $0[workspace] }), local.metadataVersion >= schema.metadataVersion {
            return local
        }
        let key = CacheKey.permissions(workspace, version: schema.metadataVersion)
        if !reload, let store, let bytes = try? await store.get(key),
           let rows = try? JSONDecoder().decode(PermissionRows.self, from: Data(bytes)), rows.metadataVersion == schema.metadataVersion {
            return keep(WorkspacePermissions(rows: rows, schema: schema))
        }
        guard let rows = try await loader.load(workspace, logger: logger) else {
            throw AtriumError(.notFound, "There is no workspace \(workspace)")
        }
        if let store, let bytes = try? JSONEncoder().encode(rows) {
            do {
                try await store.set(CacheKey.permissions(workspace, version: rows.metadataVersion), to: Array(bytes), expiration: sharedExpiration)
            } catch {
                logger.debug("Could not share workspace permissions", metadata: ["error": "\(error)"])
            }
        }
        return keep(WorkspacePermissions(rows: rows, schema: schema))
    }

    /// The caller's access to records: its role (reloaded once on a miss, for a role assigned after the snapshot).
    /// - Throws: ``AtriumError`` `.forbidden` when `identity` holds no role.
    public func access(for identity: Identity, in schema: WorkspaceSchema, logger: Logger) async throws -> RecordAccess {
        var permissions = try await self.permissions(for: schema, logger: logger)
        if permissions.role(of: identity) == nil {
            permissions = try await self.permissions(for: schema, reload: true, logger: logger)
        }
        guard let role = permissions.role(of: identity) else {
            throw AtriumError(.forbidden, "No role found for this user or API key in this workspace")
        }
        let member: UUID? = if case .member(_, let memberID, _) = identity { memberID } else { nil }
        return RecordAccess(permissions: role, workspaceMemberID: member)
    }

    /// Stores `permissions` unless a newer value is held; when full, drops a tenth of the entries (in no order).
    private func keep(_ permissions: WorkspacePermissions) -> WorkspacePermissions {
        let capacity = capacity
        entries.withLock { entries in
            if let held = entries[permissions.workspaceID], held.metadataVersion > permissions.metadataVersion { return }
            if entries[permissions.workspaceID] == nil, entries.count >= capacity {
                for key in entries.keys.prefix(max(1, capacity / 10)) { entries[key] = nil }
            }
            entries[permissions.workspaceID] = permissions
        }
        return permissions
    }
}
