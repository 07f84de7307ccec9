import Foundation
import Logging
import ServiceLifecycle

/// Applies API key revocations (``CacheKey/apiKeyInvalidations``) and workspace status changes
/// (``CacheKey/workspaceStatusChanges``) announced by other processes — servers and the CLI — to this process's
/// ``APIKeyManager`` cache, so a revoked key or a suspended workspace's keys fail everywhere within milliseconds.
/// Resubscribes after failures; the manager's cache TTL covers what is missed meanwhile.
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
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await store.subscribeUntilCancelled(to: CacheKey.apiKeyInvalidations, retryAfter: .milliseconds(200), logger: logger) { payload in
                    if let id = UUID(text: payload) { apiKeys.invalidateCached(id) }
                }
            }
            group.addTask {
                await store.subscribeUntilCancelled(to: CacheKey.workspaceStatusChanges, retryAfter: .milliseconds(200), logger: logger) { payload in
                    if let workspace = UUID(text: payload) { apiKeys.invalidateCached(workspace: workspace) }
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
