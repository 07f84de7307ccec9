import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite(.tags(.integration)) struct SpareSchemaPoolTests {
    let logger = Logger(label: "test.spares")

    /// A data model of its own, so no other test claims this suite's spares.
    static func uniqueObjects() -> [ObjectDefinition] {
        var company = MiniatureObjects.company
        company.description = "spare test \(UUID())"
        company.fields.append(FieldDefinition("marker\(UUID().uuidString.prefix(8))", .text, label: "Marker"))
        return [company, MiniatureObjects.person, MiniatureObjects.workspaceMember]
    }

    @Test func creationRenamesASpareAndReplenishDropsOutdatedOnes() async throws {
        try await SharedTestDatabase.withUpgradedDatabase { database in
            let objects = Self.uniqueObjects()
            let pool = try SpareSchemaPool(database: database, objects: objects)
            #expect(try await pool.replenish(target: 2, logger: logger) == 2)
            #expect(try await pool.count(logger: logger) == 2)
            #expect(try await pool.replenish(target: 2, logger: logger) == 0)

            let provisioner = try WorkspaceProvisioner(database: database, objects: objects, upgradeSteps: [])
            let created = try await provisioner.create(WorkspaceCreation(displayName: "From spare"), logger: logger)
            #expect(try await pool.count(logger: logger) == 1)
            // The renamed schema is complete and usable.
            let schema = try SQLIdentifier(created.databaseSchema)
            try await database.query("INSERT INTO \(schema).company (name) VALUES ('Renamed Inc')", logger: logger)
            for try await tier in try await database.query("SELECT tier::text FROM \(schema).company", logger: logger).decode(String.self) {
                #expect(tier == "SMALL")
            }

            // A pool for changed definitions drops the outdated spare instead of ever using it.
            var changed = objects
            changed[0].fields.append(FieldDefinition("extra", .text, label: "Extra"))
            let newPool = try SpareSchemaPool(database: database, objects: changed)
            #expect(newPool.fingerprint != pool.fingerprint)
            _ = try await newPool.replenish(target: 1, logger: logger)
            #expect(try await pool.count(logger: logger) == 0)
            #expect(try await newPool.count(logger: logger) == 1)

            _ = try await newPool.replenish(target: 0, logger: logger)
            let leftover = try await database.query(
                #"SELECT "schemaName" FROM core."workspaceSchemaSpare" WHERE "fingerprint" = \#(newPool.fingerprint)"#, logger: logger
            ).decode(String.self)
            for try await name in leftover {
                try await database.query(#"DELETE FROM core."workspaceSchemaSpare" WHERE "schemaName" = \#(name)"#, logger: logger)
                try await database.query("DROP SCHEMA \(try SQLIdentifier(name)) CASCADE", logger: logger)
            }
            try await WorkspaceAdministration(database: database).delete(created.id, hard: true, logger: logger)
        }
    }
}
