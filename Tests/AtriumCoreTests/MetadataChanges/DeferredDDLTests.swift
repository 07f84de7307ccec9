@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// The costly DDL of a change runs after its commit, from a record made in the change's transaction: a process that
/// stops between the two leaves the work recorded, and the next pass (any process) completes it.
@Suite(.tags(.integration)) struct DeferredDDLTests {
    func indexes(_ bed: MetadataChangesTestBed, on column: String) async throws -> [Bool] {
        try await bed.rows("""
            SELECT i.indisvalid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
            WHERE n.nspname = \(bed.schemaName) AND t.relname = 'company' AND a.attname = \(column)
            """, Bool.self)
    }

    @Test func workLeftByAStoppedProcessIsCompletedByTheNextPass() async throws {
        try await MetadataChangesTestBed.run { bed in
            // A process whose runner never runs (it stopped right after the commit).
            let stopped = MetadataChanges(cache: bed.cache, deferred: DeferredDDLRunner(database: bed.database, logger: bed.logger), mode: .background)
            let company = try await bed.object("company")
            let person = try await bed.object("person")
            _ = try await stopped.createField(
                FieldCreation(objectMetadataId: company.id, type: .relation, name: "sponsor", label: "Sponsor",
                              relation: RelationCreation(targetObjectMetadataId: person.id, targetFieldLabel: "Sponsored Companies")),
                in: bed.id, logger: bed.logger)
            _ = try await stopped.createField(FieldCreation(objectMetadataId: company.id, type: .text, name: "code", label: "Code", isUnique: true),
                                              in: bed.id, logger: bed.logger)
            // Committed: the column and an unvalidated foreign key exist, the index builds are recorded, not done.
            #expect(try await bed.columns("company")["sponsorId"] == "uuid")
            #expect(try await indexes(bed, on: "sponsorId").isEmpty)
            #expect(try await indexes(bed, on: "code").isEmpty)
            let validated = try await bed.rows("""
                SELECT c.convalidated FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                WHERE n.nspname = \(bed.schemaName) AND c.conname = 'FK_company_sponsorId'
                """, Bool.self)
            #expect(validated == [false])
            let kinds = try await bed.rows(#"SELECT "kind" FROM core."workspaceDeferredDDL" WHERE "workspaceId" = \#(bed.id) ORDER BY "id""#, String.self)
            #expect(kinds == ["validateConstraint", "createIndex", "createIndex"])

            // A failed concurrent build leaves an INVALID index: the next pass drops and rebuilds it.
            try await bed.run(#"CREATE INDEX "IDX_company_sponsorId" ON "\#(bed.schemaName)"."company" ("sponsorId")"#)
            try await bed.run("""
                UPDATE pg_index SET indisvalid = false WHERE indexrelid = '"\(bed.schemaName)"."IDX_company_sponsorId"'::regclass
                """)
            #expect(try await indexes(bed, on: "sponsorId") == [false])

            // Another process (or this one after a restart) completes the work.
            let report = try await bed.deferred.runPending(workspace: bed.id, logger: bed.logger)
            #expect(report == DeferredDDLRunner.Report(completed: 3, discarded: 0, failed: 0))
            #expect(try await indexes(bed, on: "sponsorId") == [true])
            #expect(try await indexes(bed, on: "code") == [true])
            try await bed.expectSchemaMatchesMetadata()

            // Work whose column was dropped meanwhile is discarded, not retried forever.
            let field = try #require(try await bed.schema().object(nameSingular: "company")?.field(named: "code"))
            _ = try await stopped.createField(FieldCreation(objectMetadataId: company.id, type: .text, name: "ref", label: "Ref", isUnique: true),
                                              in: bed.id, logger: bed.logger)
            let ref = try #require(try await bed.schema().object(nameSingular: "company")?.field(named: "ref"))
            try await stopped.deleteField(ref.id, in: bed.id, logger: bed.logger)
            let second = try await bed.deferred.runPending(workspace: bed.id, logger: bed.logger)
            #expect(second == DeferredDDLRunner.Report(completed: 0, discarded: 1, failed: 0))
            #expect(field.isUnique)
        }
    }
}
