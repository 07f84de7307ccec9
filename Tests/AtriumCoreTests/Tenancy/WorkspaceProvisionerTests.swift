import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite(.tags(.integration)) struct WorkspaceProvisionerTests {
    let logger = Logger(label: "test.provisioner")

    func scalar<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, _ type: T.Type, _ database: Database) async throws -> T? {
        for try await value in try await database.query(query, logger: logger).decode(T.self) { return value }
        return nil
    }

    @Test func createsSchemaTablesMetadataMemberAndStampInOneGo() async throws {
        try await SharedTestDatabase.withUpgradedDatabase { database in
            let provisioner = try WorkspaceProvisioner(database: database, objects: MiniatureObjects.all, upgradeSteps: ["9.9.9_Historic_1"])
            let created = try await provisioner.create(
                WorkspaceCreation(displayName: "Acme Corp", admin: .init(email: "Admin-\(UUID())@Example.com", password: "correct horse")),
                logger: logger
            )
            #expect(created.databaseSchema == WorkspaceSchemaName.of(created.id))
            #expect(created.subdomain.hasPrefix("acme-corp-"))
            let schema = created.databaseSchema
            let tables = try await database.query(
                "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = \(schema)",
                logger: logger).decode(String.self)
            for try await list in tables { #expect(list == "company,person,workspaceMember") }

            // Columns: composite, enum, enum array, FK, generated search vector.
            let columns = try await database.query("""
                SELECT string_agg(column_name || ':' || udt_name, ',' ORDER BY ordinal_position)
                FROM information_schema.columns WHERE table_schema = \(schema) AND table_name = 'company'
                """, logger: logger).decode(String.self)
            for try await list in columns {
                #expect(list.contains("domainNamePrimaryLinkUrl:text"))
                #expect(list.contains("tier:company_tier_enum"))
                #expect(list.contains("tags:_company_tags_enum"))
                #expect(list.contains("arrAmountMicros:numeric"))
                #expect(list.contains("createdBySource:company_createdBySource_enum"))
                #expect(list.contains("searchVector:tsvector"))
            }
            #expect(try await scalar("""
                SELECT confdeltype::text FROM pg_constraint WHERE conname = 'FK_person_companyId' AND connamespace = \(schema)::regnamespace
                """, String.self, database) == "c")

            // Defaults and the search vector work on a real insert.
            let schemaID = try SQLIdentifier(schema)
            try await database.query("INSERT INTO \(schemaID).company (name) VALUES ('Société Générale')", logger: logger)
            #expect(try await scalar("SELECT tier::text || '/' || array_to_string(tags, ',') || '/' || \"arrCurrencyCode\" FROM \(schemaID).company",
                                     String.self, database) == "SMALL/A/USD")
            #expect(try await scalar("SELECT count(*)::int FROM \(schemaID).company WHERE \"searchVector\" @@ to_tsquery('simple', 'societe')",
                                     Int.self, database) == 1)

            // Metadata rows, relations linked both ways.
            #expect(try await scalar(#"SELECT count(*)::int FROM core."objectMetadata" WHERE "workspaceId" = \#(created.id)"#, Int.self, database) == 3)
            let linked = try await scalar(#"""
                SELECT count(*)::int FROM core."fieldMetadata" f JOIN core."fieldMetadata" inverse ON inverse.id = f."relationTargetFieldMetadataId"
                WHERE f."workspaceId" = \#(created.id) AND inverse."relationTargetFieldMetadataId" = f.id
                """#, Int.self, database)
            #expect(linked == 4)
            #expect(try await scalar(#"""
                SELECT settings->>'joinColumnName' FROM core."fieldMetadata" WHERE "workspaceId" = \#(created.id) AND name = 'company'
                """#, String.self, database) == "companyId")

            // First member and upgrade stamp.
            let memberTable = try SQLIdentifier("workspaceMember")
            #expect(try await scalar("SELECT count(*)::int FROM \(schemaID).\(memberTable) WHERE \"userId\" = \(created.adminUserID)", Int.self, database) == 1)
            #expect(try await scalar(#"""
                SELECT count(*)::int FROM core."upgradeMigration" WHERE "workspaceId" = \#(created.id) AND "isInitial"
                """#, Int.self, database) == 1)
            let hash = try #require(try await scalar(#"SELECT "passwordHash" FROM core."user" WHERE id = \#(created.adminUserID)"#, String.self, database))
            #expect(hash.hasPrefix("$2"))

            try await WorkspaceAdministration(database: database).delete(created.id, hard: true, logger: logger)
            #expect(try await scalar("SELECT count(*)::int FROM pg_namespace WHERE nspname = \(schema)", Int.self, database) == 0)
            #expect(try await scalar(#"SELECT count(*)::int FROM core."fieldMetadata" WHERE "workspaceId" = \#(created.id)"#, Int.self, database) == 0)
        }
    }

    @Test func takenSubdomainIsAConflictAndLeavesNothingBehind() async throws {
        try await SharedTestDatabase.withUpgradedDatabase { database in
            let provisioner = try WorkspaceProvisioner(database: database, objects: MiniatureObjects.all, upgradeSteps: [])
            let subdomain = "taken-\(UUID().uuidString.prefix(8).lowercased())"
            let first = try await provisioner.create(WorkspaceCreation(displayName: "One", subdomain: subdomain), logger: logger)
            let error = await #expect(throws: AtriumError.self) {
                _ = try await provisioner.create(WorkspaceCreation(displayName: "Two", subdomain: subdomain), logger: logger)
            }
            #expect(error?.code == .conflict)
            // Nothing of the failed creation remains: no workspace row, and no schema without its workspace row.
            #expect(try await scalar(#"SELECT count(*)::int FROM core."workspace" WHERE "displayName" = 'Two'"#, Int.self, database) == 0)
            let orphans = try await scalar(#"""
                SELECT count(*)::int FROM pg_namespace n WHERE n.nspname LIKE 'workspace\_%'
                AND NOT EXISTS (SELECT 1 FROM core."workspace" w WHERE w."databaseSchema" = n.nspname)
                """#, Int.self, database)
            #expect(orphans == 0)
            try await WorkspaceAdministration(database: database).delete(first.id, hard: true, logger: logger)
        }
    }

    @Test func invalidSubdomainAndEmailAreRefusedBeforeAnyWrite() async throws {
        try await SharedTestDatabase.withUpgradedDatabase { database in
            let provisioner = try WorkspaceProvisioner(database: database, objects: MiniatureObjects.all, upgradeSteps: [])
            await #expect(throws: AtriumError.self) {
                _ = try await provisioner.create(WorkspaceCreation(displayName: "X", subdomain: "Bad_Sub"), logger: logger)
            }
            await #expect(throws: AtriumError.self) {
                _ = try await provisioner.create(WorkspaceCreation(displayName: "X", admin: .init(email: "not-an-email", password: nil)), logger: logger)
            }
        }
    }

    @Test func lifecycleSuspendActivateSoftDelete() async throws {
        try await SharedTestDatabase.withUpgradedDatabase { database in
            let created = try await try WorkspaceProvisioner(database: database, objects: MiniatureObjects.all, upgradeSteps: [])
                .create(WorkspaceCreation(displayName: "Life"), logger: logger)
            let administration = WorkspaceAdministration(database: database)
            try await administration.suspend(created.id, logger: logger)
            #expect(try await administration.list(logger: logger).first { $0.id == created.id }?.activationStatus == "SUSPENDED")
            try await administration.activate(created.id, logger: logger)
            #expect(try await administration.list(logger: logger).first { $0.id == created.id }?.activationStatus == "ACTIVE")
            try await administration.delete(created.id, hard: false, logger: logger)
            let deleted = try #require(try await administration.list(logger: logger).first { $0.id == created.id })
            #expect(deleted.activationStatus == "INACTIVE")
            #expect(deleted.deletedAt != nil)
            await #expect(throws: AtriumError.self) { try await administration.suspend(created.id, logger: logger) }
            try await administration.delete(created.id, hard: true, logger: logger)
            await #expect(throws: AtriumError.self) { try await administration.delete(created.id, hard: true, logger: logger) }
        }
    }

    @Test func schemaNameIsBase36OfTheUUID() {
        #expect(WorkspaceSchemaName.of(UUID(uuidString: "20202020-1c25-4d02-bf25-6aeccf7ea419")!) == "workspace_1wgvd1injqtife6y4rvfbu3h5")
        #expect(WorkspaceSchemaName.of(UUID(uuidString: "00000000-0000-0000-0000-000000000000")!) == "workspace_0")
    }
}
