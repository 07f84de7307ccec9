import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// Standard roles at workspace creation and by the back-fill of workspaces made before roles existed.
@Suite(.tags(.integration)) struct StandardRolesTests {
    let logger = Logger(label: "test.roles")

    func scalar<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, _ type: T.Type, _ database: Database) async throws -> T? {
        for try await value in try await database.query(query, logger: logger).decode(T.self) { return value }
        return nil
    }

    /// "<role label>" of each target of `workspace`, members by email, keys by name, sorted.
    func assignments(_ workspace: UUID, _ database: Database) async throws -> [String] {
        var result: [String] = []
        for try await line in try await database.query("""
            SELECT COALESCE(u."email", k."name") || '=' || r."label" FROM core."roleTargets" t JOIN core."role" r ON r."id" = t."roleId"
            LEFT JOIN core."userWorkspace" uw ON uw."id" = t."userWorkspaceId" LEFT JOIN core."user" u ON u."id" = uw."userId"
            LEFT JOIN core."apiKey" k ON k."id" = t."apiKeyId"
            WHERE t."workspaceId" = \(workspace) ORDER BY 1
            """, logger: logger).decode(String.self) {
            result.append(line)
        }
        return result
    }

    @Test func creationMakesAdminAndMemberAndTheFirstMemberAdmin() async throws {
        try await SharedTestDatabase.withUpgradedDatabase { database in
            let email = "first-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let created = try await WorkspaceProvisioner(database: database, objects: MiniatureObjects.all, upgradeSteps: [])
                .create(WorkspaceCreation(displayName: "Roles", admin: .init(email: email, password: nil)), logger: logger)
            let roles = try await scalar(#"""
                SELECT string_agg("label" || ':' || "isEditable"::text || ':' || "canUpdateAllSettings"::text, ',' ORDER BY "label")
                FROM core."role" WHERE "workspaceId" = \#(created.id)
                """#, String.self, database)
            #expect(roles == "Admin:false:true,Member:true:false")
            #expect(try await scalar(#"""
                SELECT r."label" FROM core."workspace" w JOIN core."role" r ON r."id" = w."defaultRoleId" WHERE w."id" = \#(created.id)
                """#, String.self, database) == "Member")
            #expect(try await assignments(created.id, database) == ["\(email)=Admin"])
            // A key gets Admin unless given a role; a role of another workspace is refused.
            let keys = APIKeyManager(database: database, secrets: TokenSecrets(appSecret: TestEnvironment.appSecret))
            _ = try await keys.create(workspaceID: created.id, name: "robot", logger: logger)
            await #expect(throws: AtriumError.self) {
                _ = try await keys.create(workspaceID: created.id, name: "stranger", roleID: UUID(), logger: logger)
            }
            #expect(try await assignments(created.id, database) == ["\(email)=Admin", "robot=Admin"])
            try await WorkspaceAdministration(database: database).delete(created.id, hard: true, logger: logger)
            try await database.query(#"DELETE FROM core."user" WHERE "email" = \#(email)"#, logger: logger)
        }
    }

    @Test func backfillGivesOlderWorkspacesTheirRolesOnceAndOnlyOnce() async throws {
        try await SharedTestDatabase.withUpgradedDatabase { database in
            let first = "first-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let created = try await WorkspaceProvisioner(database: database, objects: MiniatureObjects.all, upgradeSteps: [])
                .create(WorkspaceCreation(displayName: "Old", admin: .init(email: first, password: nil)), logger: logger)
            let second = "second-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            // As a workspace made before roles: no role, no default role, a second member and a key with no role. (Its
            // status is set aside: since 1795870500000 a workspace past creation cannot lack a default role.)
            try await database.withConnection { connection in
                try await connection.query(#"DELETE FROM core."role" WHERE "workspaceId" = \#(created.id)"#, logger: logger)
                try await connection.query(#"""
                    UPDATE core."workspace" SET "defaultRoleId" = NULL, "activationStatus" = 'ONGOING_CREATION' WHERE "id" = \#(created.id)
                    """#, logger: logger)
                try await connection.query(#"""
                    WITH u AS (INSERT INTO core."user" ("email") VALUES (\#(second)) RETURNING "id")
                    INSERT INTO core."userWorkspace" ("userId", "workspaceId", "createdAt") SELECT "id", \#(created.id), now() + interval '1 second' FROM u
                    """#, logger: logger)
                try await connection.query(#"""
                    INSERT INTO core."apiKey" ("name", "expiresAt", "workspaceId") VALUES ('legacy', now() + interval '1 day', \#(created.id))
                    """#, logger: logger)
            }
            #expect(try await assignments(created.id, database).isEmpty)
            let registry = try UpgradeRegistry(MigrationDirectory.commands(in: [TestEnvironment.packageRoot.appendingPathComponent("Migrations")]))
            let backfill = try #require(registry.steps.first { $0.className == "BackfillStandardRoles" }?.up)
            let version = try await scalar(#"SELECT "metadataVersion" FROM core."workspace" WHERE "id" = \#(created.id)"#, Int.self, database)
            // A workspace that has its roles is left alone, version included (other tests' workspaces run beside this one).
            let bystander = try await WorkspaceProvisioner(database: database, objects: MiniatureObjects.all, upgradeSteps: [])
                .create(WorkspaceCreation(displayName: "Bystander"), logger: logger)
            let bystanderVersion = try await scalar(#"SELECT "metadataVersion" FROM core."workspace" WHERE "id" = \#(bystander.id)"#, Int.self, database)
            for _ in 0..<2 {
                try await database.withConnection { connection in try await backfill(connection, logger) }
            }
            #expect(try await assignments(created.id, database) == ["\(first)=Admin", "legacy=Admin", "\(second)=Member"].sorted())
            #expect(try await scalar(#"SELECT count(*)::int FROM core."role" WHERE "workspaceId" = \#(created.id)"#, Int.self, database) == 2)
            let bumped = try await scalar(#"SELECT "metadataVersion" FROM core."workspace" WHERE "id" = \#(created.id)"#, Int.self, database)
            #expect(bumped != nil && bumped == version.map { $0 + 1 }, "bumped once, by the run that changed it")
            #expect(try await scalar(#"SELECT "metadataVersion" FROM core."workspace" WHERE "id" = \#(bystander.id)"#, Int.self, database) == bystanderVersion)
            try await WorkspaceAdministration(database: database).delete(bystander.id, hard: true, logger: logger)
            try await WorkspaceAdministration(database: database).delete(created.id, hard: true, logger: logger)
            try await database.query(#"DELETE FROM core."user" WHERE "email" IN (\#(first), \#(second))"#, logger: logger)
        }
    }

    /// Twenty's onboarded_workspace_requires_default_role: a workspace past creation keeps a default role; the
    /// migration that adds the check runs again without harm.
    @Test func anOnboardedWorkspaceCannotLoseItsDefaultRole() async throws {
        try await SharedTestDatabase.withUpgradedDatabase { database in
            let created = try await WorkspaceProvisioner(database: database, objects: MiniatureObjects.all, upgradeSteps: [])
                .create(WorkspaceCreation(displayName: "Defaulted"), logger: logger)
            let status = try await scalar(#"""
                SELECT "activationStatus"::text || ':' || ("defaultRoleId" IS NOT NULL)::text FROM core."workspace" WHERE "id" = \#(created.id)
                """#, String.self, database)
            #expect(status == "ACTIVE:true")
            do {
                try await database.query(#"UPDATE core."workspace" SET "defaultRoleId" = NULL WHERE "id" = \#(created.id)"#, logger: logger)
                Issue.record("an ACTIVE workspace lost its default role")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.sqlState] == "23514", "\(String(reflecting: error))")
            }
            let registry = try UpgradeRegistry(MigrationDirectory.commands(in: [TestEnvironment.packageRoot.appendingPathComponent("Migrations")]))
            let step = try #require(registry.steps.first { $0.className == "RequireDefaultRoleOfOnboardedWorkspaces" }?.up)
            try await database.withConnection { connection in try await step(connection, logger) }
            let validated = try await scalar(#"""
                SELECT convalidated FROM pg_constraint WHERE conname = 'onboarded_workspace_requires_default_role'
                """#, Bool.self, database)
            #expect(validated == true)
            try await WorkspaceAdministration(database: database).delete(created.id, hard: true, logger: logger)
        }
    }
}
