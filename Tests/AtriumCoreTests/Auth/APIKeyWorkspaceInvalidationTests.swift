import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import Testing

/// A workspace status change drops the cached lookups of that workspace's keys (what a server does on the
/// announcement on `CacheKey.workspaceStatusChanges`), and of no other workspace's.
@Suite(.tags(.integration)) struct APIKeyWorkspaceInvalidationTests {
    static let logger = Logger(label: "test.api-keys.workspace")
    static let secrets = TokenSecrets(appSecret: TestEnvironment.fallbackAppSecret)

    @Test func invalidatingAWorkspaceRereadsItsKeysOnly() async throws {
        try await TestDatabase.withFreshCore { database, _ in
            let suspended = try await TestWorkspaceRows.insert(in: database, logger: Self.logger)
            let other = try await TestWorkspaceRows.insert(in: database, logger: Self.logger)
            // A TTL no test outlives: only an invalidation can make a cached lookup be read again.
            let apiKeys = APIKeyManager(database: database, secrets: Self.secrets, cacheTTL: .seconds(3600))
            let key = try await apiKeys.create(workspaceID: suspended, name: "suspended", logger: Self.logger)
            let otherKey = try await apiKeys.create(workspaceID: other, name: "other", logger: Self.logger)
            _ = try await apiKeys.authenticate(token: key.token, logger: Self.logger)
            _ = try await apiKeys.authenticate(token: otherKey.token, logger: Self.logger)

            let administration = WorkspaceAdministration(database: database)
            try await administration.suspend(suspended, logger: Self.logger)
            try await administration.suspend(other, logger: Self.logger)
            // Cached: both still pass.
            _ = try await apiKeys.authenticate(token: key.token, logger: Self.logger)
            _ = try await apiKeys.authenticate(token: otherKey.token, logger: Self.logger)

            apiKeys.invalidateCached(workspace: suspended)
            let error = await #expect(throws: AtriumError.self) { _ = try await apiKeys.authenticate(token: key.token, logger: Self.logger) }
            #expect(error?.message == "This workspace is suspended")
            // The other workspace's key was not dropped.
            #expect(try await apiKeys.authenticate(token: otherKey.token, logger: Self.logger).workspaceID == other)
        }
    }
}
