import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Saved views as queries read them (``ViewDefinition`` and the caller's time zone), kept in process so that a request
/// through a view (`viewId` on a list, a group-by, an export) runs its one statement without reading the view first.
///
/// An entry holds for one workspace member and one metadata version of its workspace (a metadata change that removes a
/// field or an option also changes views). A view written through ``ViewStore`` drops its workspace's entries here at
/// once and is announced on ``CacheKey/viewInvalidations`` to every other process (``ViewInvalidationService``); an
/// entry older than ``lifetime`` is read again, which bounds what a missed announcement (or a member's new time zone)
/// can leave stale.
public final class ViewDefinitionCache: Sendable {
    struct Key: Hashable {
        let workspace: UUID
        let view: UUID
        let member: UUID?
    }

    struct Entry {
        let view: ViewDefinition
        let timeZone: TimeZone?
        let metadataVersion: Int
        let storedAt: ContinuousClock.Instant
    }

    /// How long an entry is used before the view is read again.
    public let lifetime: Duration
    /// Where writes are announced (nil: this process only).
    let store: (any MetadataSharedStore)?
    /// The most entries kept; past it the cache starts over.
    static let capacity = 10_000
    private let entries = Mutex<[Key: Entry]>([:])

    public init(store: (any MetadataSharedStore)? = nil, lifetime: Duration = .seconds(10)) {
        self.store = store
        self.lifetime = lifetime
    }

    /// The cached view, when it is still good for this member and metadata version.
    func view(_ key: Key, metadataVersion: Int) -> (view: ViewDefinition, timeZone: TimeZone?)? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[key], entry.metadataVersion == metadataVersion, now - entry.storedAt < lifetime else { return nil }
            return (entry.view, entry.timeZone)
        }
    }

    func store(_ view: ViewDefinition, timeZone: TimeZone?, for key: Key, metadataVersion: Int) {
        let entry = Entry(view: view, timeZone: timeZone, metadataVersion: metadataVersion, storedAt: .now)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
    }

    /// Drops the workspace's entries in this process.
    public func invalidate(workspace: UUID) {
        entries.withLock { entries in entries = entries.filter { $0.key.workspace != workspace } }
    }

    /// Drops the workspace's entries here and announces it to the other processes (best effort: a missed announcement
    /// is bounded by ``lifetime``).
    func changed(workspace: UUID, logger: Logger) async {
        invalidate(workspace: workspace)
        guard let store else { return }
        do {
            try await store.publish(workspace.lowercased, to: CacheKey.viewInvalidations)
        } catch {
            logger.warning("cannot announce a view change; other processes see it within the view cache's lifetime",
                           metadata: ["workspace": "\(workspace.lowercased)", "error": "\(error)"])
        }
    }
}

/// Drops a workspace's cached views (``ViewDefinitionCache``) when another process announces a view change.
public struct ViewInvalidationService: Service {
    let cache: ViewDefinitionCache
    let logger: Logger

    public init(cache: ViewDefinitionCache, logger: Logger) {
        self.cache = cache
        self.logger = logger
    }

    public func run() async throws {
        guard let store = cache.store else {
            try? await gracefulShutdown()
            return
        }
        let cache = self.cache
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await store.subscribeUntilCancelled(to: CacheKey.viewInvalidations, retryAfter: .seconds(1), logger: logger, reception: nil) { payload in
                    if let workspace = UUID(text: payload) { cache.invalidate(workspace: workspace) }
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
