import Foundation
import Logging
import ServiceLifecycle

/// Applies API key revocations announced by other instances (on ``CacheKey/apiKeyInvalidations``) to this process's
/// ``APIKeyManager`` cache, so a revoked key fails everywhere within milliseconds. Resubscribes after failures; the
/// manager's cache TTL covers what is missed meanwhile.
public struct APIKeyInvalidationService: Service {
    let apiKeys: APIKeyManager
    let logger: Logger

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
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
