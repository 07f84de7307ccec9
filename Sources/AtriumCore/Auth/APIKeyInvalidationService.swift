import Foundation
import ServiceLifecycle

/// Applies API key revocations announced by other instances (on ``CacheKey/apiKeyInvalidations``) to this process's
/// ``APIKeyManager`` cache, so a revoked key fails everywhere within milliseconds. Resubscribes after failures; the
/// manager's cache TTL covers what is missed meanwhile.
public struct APIKeyInvalidationService: Service {
    let apiKeys: APIKeyManager

    public init(apiKeys: APIKeyManager) {
        self.apiKeys = apiKeys
    }

    public func run() async throws {
        guard let store = apiKeys.store else {
            try? await gracefulShutdown()
            return
        }
        let apiKeys = self.apiKeys
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await store.subscribe(to: CacheKey.apiKeyInvalidations) { payload in
                        if let id = UUID(uuidString: payload) { apiKeys.invalidateCached(id) }
                    }
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
