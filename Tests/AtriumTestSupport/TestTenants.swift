import AtriumCore
import Foundation
import Logging

/// One workspace a test made: its metadata rows, its schema, and an Admin API key's token.
public struct TestTenant: Sendable {
    public let workspace: CreatedWorkspace
    /// The token of an API key holding the workspace's Admin role.
    public let token: String

    public var id: UUID { workspace.id }
    public var databaseSchema: String { workspace.databaseSchema }
}

/// The tenant fixture every suite builds on: fresh workspaces for one test, each with an Admin API key, hard-deleted
/// afterwards whether the test passed or threw. Tests run in parallel, each in workspaces of its own.
///
/// ```swift
/// try await TestTenants.with(2) { database, tenants in
///     // tenants[0] and tenants[1]: two workspaces of the standard objects, for a cross-workspace check
/// }
/// ```
public enum TestTenants {
    /// The name of each workspace's Admin API key (records it writes show it as `createdBy.name`).
    public static let keyName = "test-admin"

    public static var logger: Logger {
        var logger = Logger(label: "test.tenants")
        logger.logLevel = .error
        return logger
    }

    /// Runs `body` with `count` new workspaces of `objects` in the shared, upgraded test database.
    public static func with<Value: Sendable>(
        _ count: Int = 1, objects: [ObjectDefinition] = StandardObjects.all, name: String = "Test",
        _ body: @Sendable (Database, [TestTenant]) async throws -> Value
    ) async throws -> Value {
        try await SharedTestDatabase.withUpgradedDatabase { database in
            try await with(count, objects: objects, name: name, in: database) { tenants in try await body(database, tenants) }
        }
    }

    /// Runs `body` with `count` new workspaces of `objects` in `database` (a test's own, already upgraded).
    public static func with<Value: Sendable>(
        _ count: Int = 1, objects: [ObjectDefinition] = StandardObjects.all, name: String = "Test", in database: Database,
        _ body: @Sendable ([TestTenant]) async throws -> Value
    ) async throws -> Value {
        let logger = Self.logger
        let provisioner = try WorkspaceProvisioner(database: database, objects: objects, upgradeSteps: [])
        let apiKeys = APIKeyManager(database: database, secrets: TokenSecrets(appSecret: TestEnvironment.appSecret))
        var created: [UUID] = []
        let outcome: Result<Value, any Error>
        do {
            var tenants: [TestTenant] = []
            for index in 0..<count {
                let workspace = try await provisioner.create(WorkspaceCreation(displayName: "\(name) \(index)"), logger: logger)
                created.append(workspace.id)
                let key = try await apiKeys.create(workspaceID: workspace.id, name: keyName, logger: logger)
                tenants.append(TestTenant(workspace: workspace, token: key.token))
            }
            outcome = .success(try await body(tenants))
        } catch {
            outcome = .failure(error)
        }
        let administration = WorkspaceAdministration(database: database)
        for id in created {
            do {
                try await administration.delete(id, hard: true, logger: logger)
            } catch {
                // The test's own failure says more than the clean-up's.
                if case .success = outcome { throw error }
            }
        }
        return try outcome.get()
    }
}
