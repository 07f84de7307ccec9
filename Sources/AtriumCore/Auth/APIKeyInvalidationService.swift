import Foundation
import Logging
import ServiceLifecycle

/// Applies API key revocations (``CacheKey/apiKeyInvalidations``) and workspace status changes
/// (``CacheKey/workspaceStatusChanges``) announced by other processes — servers and the CLI — to this process's
/// ``APIKeyManager`` cache, so a revoked key or a suspended workspace's keys fail everywhere within milliseconds.
/// Resubscribes after failures; the manager's cache TTL covers what is missed meanwhile. While both subscriptions
/// hold, it lets the cache trust its rows for the longer announced TTL.
public struct APIKeyInvalidationService: Service {
    let apiKeys: APIKeyManager
    let logger: Logger

    /// - Parameters:
    ///   - apiKeys: The manager whose cache to keep current; without a shared store the service just waits for shutdown.
    ///   - logger: For subscription failures.
    public init(apiKeys: APIKeyManager, logger: Logger) {
        self.apiKeys = apiKeys
        self.logger = logger
    }

    public func run() async throws {
        guard let store = apiKeys.store else {
            try? await gracefulShutdown()
            return
        }
        let apiKeys = self.apiKeys
        let logger = self.logger
        let reception = AnnouncementReception(store: store, channels: [CacheKey.apiKeyInvalidations, CacheKey.workspaceStatusChanges])
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await store.subscribeUntilCancelled(
                    to: CacheKey.apiKeyInvalidations, retryAfter: .milliseconds(200), logger: logger, reception: reception
                ) { payload in
                    if let id = UUID(text: payload) { apiKeys.invalidateCached(id) }
                }
            }
            group.addTask {
                await store.subscribeUntilCancelled(
                    to: CacheKey.workspaceStatusChanges, retryAfter: .milliseconds(200), logger: logger, reception: reception
                ) { payload in
                    if let workspace = UUID(text: payload) { apiKeys.invalidateCached(workspace: workspace) }
                }
            }
            group.addTask {
                // While both subscriptions hold, cached rows are trusted longer (see APIKeyCache).
                while !Task.isCancelled {
                    apiKeys.cache.announcements(reception.stretch)
                    try? await Task.sleep(for: .milliseconds(250))
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
