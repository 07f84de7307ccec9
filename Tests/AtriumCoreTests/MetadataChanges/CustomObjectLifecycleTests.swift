@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// A custom object with relations to standard objects is created and deleted; after each step the schema
/// (information_schema, pg_catalog) and the metadata agree.
@Suite(.tags(.integration)) struct CustomObjectLifecycleTests {
    @Test func createAndDeleteACustomObjectWithRelationsToStandardObjects() async throws {
        try await MetadataChangesTestBed.run { bed in
            let versionBefore = try await bed.schema().metadataVersion
            let invoiceID = try await bed.changes.createObject(
                ObjectCreation(nameSingular: "invoice", namePlural: "invoices", labelSingular: "Invoice", labelPlural: "Invoices",
                               description: "Bills", icon: "IconReceipt"),
                in: bed.id, logger: bed.logger)
            let company = try await bed.object("company")
            let person = try await bed.object("person")
            // invoice.company → company (MANY_TO_ONE, cascade), company.invoices back.
            let companyFieldID = try await bed.changes.createField(
                FieldCreation(objectMetadataId: invoiceID, type: .relation, name: "company", label: "Company",
                              relation: RelationCreation(targetObjectMetadataId: company.id, targetFieldLabel: "Invoices", type: .manyToOne, onDelete: .cascade)),
                in: bed.id, logger: bed.logger)
            // invoice.payers (ONE_TO_MANY) ← person.payingInvoice (the foreign key on person).
            _ = try await bed.changes.createField(
                FieldCreation(objectMetadataId: invoiceID, type: .relation, name: "payers", label: "Payers",
                              relation: RelationCreation(targetObjectMetadataId: person.id, targetFieldLabel: "Paying Invoice", type: .oneToMany)),
                in: bed.id, logger: bed.logger)
            // A SELECT with a default.
            _ = try await bed.changes.createField(
                FieldCreation(objectMetadataId: invoiceID, type: .select, name: "status", label: "Status", defaultValue: "'DRAFT'",
                              options: [FieldOptionInput(value: "DRAFT", label: "Draft"), FieldOptionInput(value: "PAID", label: "Paid")]),
                in: bed.id, logger: bed.logger)

            let schema = try await bed.schema()
            #expect(schema.metadataVersion == versionBefore + 4)
            let invoice = try #require(schema.object(nameSingular: "invoice"))
            #expect(invoice.targetTableName == "_invoice")
            #expect(Set(invoice.fields.map(\.name)).isSuperset(of: [
                "id", "name", "createdAt", "updatedAt", "deletedAt", "position", "createdBy", "updatedBy", "searchVector",
                "noteTargets", "taskTargets", "favorites", "attachments", "timelineActivities", "company", "payers", "status",
            ]))
            let relation = try #require(invoice.field(named: "company"))
            #expect(relation.id == companyFieldID)
            #expect(relation.relationType == .manyToOne)
            #expect(relation.relationTargetObject?.nameSingular == "company")
            #expect(relation.relationTargetField?.name == "invoices")
            #expect(schema.object(nameSingular: "company")?.field(named: "invoices")?.relationType == .oneToMany)
            #expect(schema.object(nameSingular: "person")?.field(named: "payingInvoice")?.relationType == .manyToOne)
            for junction in ["noteTarget", "taskTarget", "favorite", "attachment", "timelineActivity"] {
                let field = schema.object(nameSingular: junction)?.field(named: "invoice")
                #expect(field?.relationType == .manyToOne, "\(junction).invoice")
                #expect(field?.relationTargetField?.object.nameSingular == "invoice")
            }
            try await bed.expectSchemaMatchesMetadata()
            #expect(try await bed.columns("person")["payingInvoiceId"] == "uuid")
            #expect(try await bed.columns("noteTarget")["invoiceId"] == "uuid")

            // Data flows through the foreign keys, with the declared ON DELETE.
            let companyRow = UUID()
            let invoiceRow = UUID()
            try await bed.run(#"INSERT INTO "\#(bed.schemaName)"."company" ("id", "name") VALUES ('\#(companyRow)', 'Acme')"#)
            try await bed.run(#"INSERT INTO "\#(bed.schemaName)"."_invoice" ("id", "companyId") VALUES ('\#(invoiceRow)', '\#(companyRow)')"#)
            #expect(try await bed.rows(PostgresQuery(unsafeSQL: #"SELECT "status"::text FROM "\#(bed.schemaName)"."_invoice""#), String.self) == ["DRAFT"])
            #expect(try await bed.rows(PostgresQuery(unsafeSQL: #"SELECT "name" FROM "\#(bed.schemaName)"."_invoice""#), String.self) == ["Untitled"])
            await #expect(throws: MetadataChangesTestBed.SQLFailure.self) {
                try await bed.run(#"INSERT INTO "\#(bed.schemaName)"."_invoice" ("companyId") VALUES ('\#(UUID())')"#)
            }
            try await bed.run(#"DELETE FROM "\#(bed.schemaName)"."company" WHERE "id" = '\#(companyRow)'"#)
            #expect(try await bed.rows(PostgresQuery(unsafeSQL: #"SELECT count(*)::int FROM "\#(bed.schemaName)"."_invoice""#), Int.self) == [0])

            // Delete: the table, its types, the foreign key columns elsewhere and every metadata row go.
            try await bed.changes.deleteObject(invoiceID, in: bed.id, logger: bed.logger)
            let after = try await bed.schema()
            #expect(after.object(nameSingular: "invoice") == nil)
            #expect(after.object(nameSingular: "company")?.field(named: "invoices") == nil)
            #expect(after.object(nameSingular: "person")?.field(named: "payingInvoice") == nil)
            #expect(after.object(nameSingular: "noteTarget")?.field(named: "invoice") == nil)
            #expect(try await bed.columns("_invoice").isEmpty)
            #expect(try await bed.columns("person")["payingInvoiceId"] == nil)
            #expect(try await bed.columns("noteTarget")["invoiceId"] == nil)
            let types = try await bed.rows("""
                SELECT t.typname::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = \(bed.schemaName) AND t.typname LIKE '\\_invoice%'
                """, String.self)
            #expect(types.isEmpty)
            let rows = try await bed.rows(#"SELECT count(*)::int FROM core."fieldMetadata" WHERE "relationTargetObjectMetadataId" = \#(invoiceID)"#, Int.self)
            #expect(rows == [0])
            try await bed.expectSchemaMatchesMetadata()

            // The name is free again.
            _ = try await bed.changes.createObject(
                ObjectCreation(nameSingular: "invoice", namePlural: "invoices", labelSingular: "Invoice", labelPlural: "Invoices"),
                in: bed.id, logger: bed.logger)
            try await bed.expectSchemaMatchesMetadata()
        }
    }

    @Test func twoConcurrentFieldCreationsOnOneObjectAreSerialized() async throws {
        try await MetadataChangesTestBed.run { bed in
            let company = try await bed.object("company")
            let version = try await bed.schema().metadataVersion
            // Different names: both succeed.
            async let first = bed.changes.createField(FieldCreation(objectMetadataId: company.id, type: .text, name: "alpha", label: "Alpha"),
                                                      in: bed.id, logger: bed.logger)
            async let second = bed.changes.createField(FieldCreation(objectMetadataId: company.id, type: .number, name: "beta", label: "Beta"),
                                                       in: bed.id, logger: bed.logger)
            _ = try await (first, second)
            // The same name: exactly one succeeds, the other fails cleanly.
            let outcomes = await withTaskGroup(of: Result<UUID, any Error>.self) { group in
                for type in [FieldType.text, .boolean] {
                    group.addTask {
                        await Result(catching: { try await bed.changes.createField(FieldCreation(objectMetadataId: company.id, type: type, name: "gamma", label: "Gamma"),
                                                                         in: bed.id, logger: bed.logger) })
                    }
                }
                var all: [Result<UUID, any Error>] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { if case .success = $0 { true } else { false } }.count == 1)
            for case .failure(let error) in outcomes {
                #expect((error as? AtriumError)?.code == .validationFailed, "\(error)")
            }
            let schema = try await bed.schema()
            #expect(schema.metadataVersion == version + 3)
            for name in ["alpha", "beta", "gamma"] { #expect(schema.object(nameSingular: "company")?.field(named: name) != nil) }
            try await bed.expectSchemaMatchesMetadata()
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
