import Logging
import ServiceLifecycle

/// Keeps a ``WorkspaceSchemaCache`` in step with other processes: consumes the invalidations published on
/// ``CacheKey/metadataInvalidations`` and retries announcements that failed while the shared store was down.
///
/// Run it after the shared store's own service (the Redis client) in the `ServiceGroup`.
public struct WorkspaceSchemaInvalidationService: Service {
    let cache: WorkspaceSchemaCache

    /// - Parameter cache: The cache to keep current.
    public init(cache: WorkspaceSchemaCache) {
        self.cache = cache
    }

    /// Subscribes (resubscribing after failures) until graceful shutdown or cancellation.
    public func run() async throws {
        guard let store = cache.store else {
            try? await gracefulShutdown()
            return
        }
        let cache = self.cache
        let reception = AnnouncementReception(store: store, channels: [CacheKey.metadataInvalidations])
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Whatever is missed while not subscribed is caught by revalidation; forget nothing stale for long.
                await store.subscribeUntilCancelled(
                    to: CacheKey.metadataInvalidations, retryAfter: .seconds(1), logger: cache.logger, reception: reception
                ) { payload in
                    if let invalidation = MetadataInvalidation(payload: payload) { cache.invalidate(invalidation) }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    cache.announcements(reception.stretch)
                    try? await Task.sleep(for: cache.configuration.revalidationInterval)
                    await cache.announcePending()
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
