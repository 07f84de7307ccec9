@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// Renaming a custom object's `nameSingular` renames its table and everything named after it, keeps its rows, and
/// leaves the workspace as usable as if it had been created under the new name.
@Suite(.tags(.integration)) struct ObjectRenameTests {
    @Test func aCustomObjectRenameMovesItsTableJunctionsAndMorphColumns() async throws {
        try await MetadataChangesTestBed.run { bed in
            let invoiceID = try await bed.changes.createObject(
                ObjectCreation(nameSingular: "invoice", namePlural: "invoices", labelSingular: "Invoice", labelPlural: "Invoices"),
                in: bed.id, logger: bed.logger)
            let company = try await bed.object("company")
            let companyFieldID = try await bed.changes.createField(
                FieldCreation(objectMetadataId: invoiceID, type: .relation, name: "company", label: "Company",
                              relation: RelationCreation(targetObjectMetadataId: company.id, targetFieldLabel: "Invoices", type: .manyToOne)),
                in: bed.id, logger: bed.logger)
            let statusID = try await bed.changes.createField(
                FieldCreation(objectMetadataId: invoiceID, type: .select, name: "status", label: "Status", defaultValue: "'DRAFT'",
                              options: [FieldOptionInput(value: "DRAFT", label: "Draft"), FieldOptionInput(value: "PAID", label: "Paid")]),
                in: bed.id, logger: bed.logger)
            // Another custom object whose morph field targets the invoice: its column is named after it.
            let ticketID = try await bed.changes.createObject(
                ObjectCreation(nameSingular: "ticket", namePlural: "tickets", labelSingular: "Ticket", labelPlural: "Tickets"),
                in: bed.id, logger: bed.logger)
            _ = try await bed.changes.createField(
                FieldCreation(objectMetadataId: ticketID, type: .morphRelation, name: "subject", label: "Subject",
                              morphRelations: [RelationCreation(targetObjectMetadataId: company.id, targetFieldLabel: "Ticket Subjects"),
                                               RelationCreation(targetObjectMetadataId: invoiceID, targetFieldLabel: "Ticket Subjects")]),
                in: bed.id, logger: bed.logger)
            let companyRow = UUID()
            let invoiceRow = UUID()
            try await bed.run(#"INSERT INTO "\#(bed.schemaName)"."company" ("id", "name") VALUES ('\#(companyRow)', 'Acme')"#)
            try await bed.run(#"INSERT INTO "\#(bed.schemaName)"."_invoice" ("id", "companyId", "status") VALUES ('\#(invoiceRow)', '\#(companyRow)', 'PAID')"#)
            try await bed.run(#"INSERT INTO "\#(bed.schemaName)"."noteTarget" ("invoiceId") VALUES ('\#(invoiceRow)')"#)
            try await bed.run(#"INSERT INTO "\#(bed.schemaName)"."_ticket" ("subjectInvoiceId") VALUES ('\#(invoiceRow)')"#)

            var rename = ObjectUpdate()
            rename.nameSingular = "bill"
            rename.namePlural = "bills"
            try await bed.changes.updateObject(invoiceID, rename, in: bed.id, logger: bed.logger)

            let schema = try await bed.schema()
            #expect(schema.object(nameSingular: "invoice") == nil)
            let bill = try #require(schema.object(nameSingular: "bill"))
            #expect(bill.id == invoiceID && bill.namePlural == "bills" && bill.targetTableName == "_bill")
            for junction in ["noteTarget", "taskTarget", "favorite", "attachment", "timelineActivity"] {
                #expect(schema.object(nameSingular: junction)?.field(named: "bill")?.relationTargetObject?.id == invoiceID, "\(junction).bill")
                #expect(schema.object(nameSingular: junction)?.field(named: "invoice") == nil, "\(junction).invoice")
            }
            #expect(try await bed.columns("_invoice").isEmpty)
            #expect(try await bed.columns("noteTarget")["billId"] == "uuid")
            #expect(try await bed.columns("_ticket")["subjectBillId"] == "uuid")
            #expect(try await bed.columns("_ticket")["subjectInvoiceId"] == nil)
            try await bed.expectSchemaMatchesMetadata()
            // The rows stayed, and the foreign keys still hold.
            #expect(try await bed.rows(PostgresQuery(unsafeSQL: #"SELECT "status"::text FROM "\#(bed.schemaName)"."_bill""#), String.self) == ["PAID"])
            #expect(try await bed.rows(PostgresQuery(unsafeSQL: #"SELECT count(*)::int FROM "\#(bed.schemaName)"."noteTarget" WHERE "billId" IS NOT NULL"#), Int.self) == [1])
            await #expect(throws: MetadataChangesTestBed.SQLFailure.self) {
                try await bed.run(#"INSERT INTO "\#(bed.schemaName)"."_bill" ("companyId") VALUES ('\#(UUID())')"#)
            }
            // Names derived from the table followed it.
            let names = try await bed.rows("""
                SELECT t.typname::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = \(bed.schemaName) AND t.typname LIKE '\\_invoice%' AND t.typtype = 'e'
                UNION ALL SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = \(bed.schemaName) AND c.relname LIKE '%\\_invoice%'
                UNION ALL SELECT conname::text FROM pg_constraint WHERE connamespace = \(bed.schemaName)::regnamespace AND conname LIKE '%\\_invoice%'
                """, String.self)
            #expect(names.isEmpty, "still named after the old table: \(names)")

            // The renamed object takes every later change: new options (its enum type), a relation rename (its
            // foreign key constraint), then deletion.
            var options = FieldUpdate()
            options.options = [FieldOptionInput(value: "DRAFT", label: "Draft"), FieldOptionInput(value: "PAID", label: "Paid"),
                               FieldOptionInput(value: "VOID", label: "Void")]
            try await bed.changes.updateField(statusID, options, in: bed.id, logger: bed.logger)
            try await bed.run(#"UPDATE "\#(bed.schemaName)"."_bill" SET "status" = 'VOID'"#)
            var relationRename = FieldUpdate()
            relationRename.name = "customer"
            try await bed.changes.updateField(companyFieldID, relationRename, in: bed.id, logger: bed.logger)
            #expect(try await bed.columns("_bill")["customerId"] == "uuid")
            try await bed.expectSchemaMatchesMetadata()
            try await bed.changes.deleteObject(invoiceID, in: bed.id, logger: bed.logger)
            #expect(try await bed.columns("_bill").isEmpty)
            #expect(try await bed.columns("noteTarget")["billId"] == nil)
            #expect(try await bed.columns("_ticket")["subjectBillId"] == nil)
            try await bed.expectSchemaMatchesMetadata()
        }
    }

    @Test func standardObjectsAndTakenNamesCannotBeRenamedTo() async throws {
        try await MetadataChangesTestBed.run { bed in
            let invoiceID = try await bed.changes.createObject(
                ObjectCreation(nameSingular: "invoice", namePlural: "invoices", labelSingular: "Invoice", labelPlural: "Invoices"),
                in: bed.id, logger: bed.logger)
            let versionBefore = try await bed.schema().metadataVersion
            var toCompany = ObjectUpdate()
            toCompany.nameSingular = "company"
            var toBadName = ObjectUpdate()
            toBadName.nameSingular = "Bad-Name"
            var standard = ObjectUpdate()
            standard.nameSingular = "organisation"
            let company = try await bed.object("company")
            for (id, update) in [(invoiceID, toCompany), (invoiceID, toBadName), (company.id, standard)] {
                await #expect(throws: AtriumError.self) {
                    try await bed.changes.updateObject(id, update, in: bed.id, logger: bed.logger)
                }
            }
            #expect(try await bed.schema().metadataVersion == versionBefore)
            #expect(try await bed.columns("_invoice")["name"] != nil)
            #expect(try await bed.columns("noteTarget")["invoiceId"] == "uuid")
        }
    }
}
