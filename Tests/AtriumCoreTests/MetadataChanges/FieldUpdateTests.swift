@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// Renaming, options changes, deactivation and deletion of custom fields, with the data they hold.
@Suite(.tags(.integration)) struct FieldUpdateTests {
    func values(_ bed: MetadataChangesTestBed, _ column: String, table: String = "company") async throws -> [String] {
        try await bed.rows(PostgresQuery(unsafeSQL:
            #"SELECT coalesce("\#(column)"::text, 'NULL') FROM "\#(bed.schemaName)"."\#(table)" ORDER BY "name""#), String.self)
    }

    @Test func renameKeepsDataAndRenamesEveryColumn() async throws {
        try await MetadataChangesTestBed.run { bed in
            let company = try await bed.object("company")
            let id = try await bed.changes.createField(
                FieldCreation(objectMetadataId: company.id, type: .fullName, name: "founder", label: "Founder"), in: bed.id, logger: bed.logger)
            try await bed.run(#"INSERT INTO "\#(bed.schemaName)"."company" ("name", "founderFirstName") VALUES ('A', 'Ada')"#)
            var update = FieldUpdate()
            update.name = "creator"
            update.label = "Creator"
            try await bed.changes.updateField(id, update, in: bed.id, logger: bed.logger)
            let columns = try await bed.columns("company")
            #expect(columns["founderFirstName"] == nil)
            #expect(columns["creatorFirstName"] == "text" && columns["creatorLastName"] == "text")
            #expect(try await values(bed, "creatorFirstName") == ["Ada"])
            let field = try await bed.schema().field(id: id)
            #expect(field?.name == "creator" && field?.label == "Creator")
            // A relation's rename moves its foreign key column and constraint.
            let person = try await bed.object("person")
            let relation = try await bed.changes.createField(
                FieldCreation(objectMetadataId: company.id, type: .relation, name: "ceo", label: "CEO",
                              relation: RelationCreation(targetObjectMetadataId: person.id, targetFieldLabel: "Led Companies")),
                in: bed.id, logger: bed.logger)
            update = FieldUpdate()
            update.name = "chief"
            try await bed.changes.updateField(relation, update, in: bed.id, logger: bed.logger)
            #expect(try await bed.columns("company")["chiefId"] == "uuid")
            try await bed.expectSchemaMatchesMetadata()
            // Taken names are refused.
            update.name = "employees"
            let error = await #expect(throws: AtriumError.self) { try await bed.changes.updateField(id, update, in: bed.id, logger: bed.logger) }
            #expect(error?.code == .validationFailed)
        }
    }

    @Test func selectOptionsAreAddedRenamedAndRemovedWithTheData() async throws {
        try await MetadataChangesTestBed.run { bed in
            let company = try await bed.object("company")
            let tier = try await bed.changes.createField(
                FieldCreation(objectMetadataId: company.id, type: .select, name: "tier", label: "Tier",
                              options: [FieldOptionInput(value: "GOLD", label: "Gold"), FieldOptionInput(value: "SILVER", label: "Silver"),
                                        FieldOptionInput(value: "BRONZE", label: "Bronze")]),
                in: bed.id, logger: bed.logger)
            let tags = try await bed.changes.createField(
                FieldCreation(objectMetadataId: company.id, type: .multiSelect, name: "tags", label: "Tags",
                              options: [FieldOptionInput(value: "A", label: "A"), FieldOptionInput(value: "B", label: "B"), FieldOptionInput(value: "C", label: "C")]),
                in: bed.id, logger: bed.logger)
            try await bed.run("""
                INSERT INTO "\(bed.schemaName)"."company" ("name", "tier", "tags") VALUES
                ('1', 'GOLD', '{A,B}'), ('2', 'SILVER', '{B,C}'), ('3', 'BRONZE', '{C}')
                """)
            // Rename GOLD→PLATINUM (same id), add COPPER: catalog-only.
            let options = try #require(try await bed.schema().field(id: tier)?.options)
            let gold = try #require(options.first { $0.value == "GOLD" })
            var update = FieldUpdate()
            update.options = [FieldOptionInput(id: gold.id, value: "PLATINUM", label: "Platinum")]
                + options.filter { $0.value != "GOLD" }.map { FieldOptionInput(id: $0.id, value: $0.value, label: $0.label) }
                + [FieldOptionInput(value: "COPPER", label: "Copper")]
            try await bed.changes.updateField(tier, update, in: bed.id, logger: bed.logger)
            #expect(try await values(bed, "tier") == ["PLATINUM", "SILVER", "BRONZE"])
            // Remove SILVER: its records are cleared, the others keep their values.
            update.options = update.options?.filter { $0.value != "SILVER" }.map { option in
                var option = option
                if option.value == "PLATINUM" { option.id = gold.id }
                return option
            }
            try await bed.changes.updateField(tier, update, in: bed.id, logger: bed.logger)
            #expect(try await values(bed, "tier") == ["PLATINUM", "NULL", "BRONZE"])
            let labels = try await bed.rows("""
                SELECT e.enumlabel::text FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = \(bed.schemaName) AND t.typname = 'company_tier_enum' ORDER BY e.enumsortorder
                """, String.self)
            #expect(Set(labels) == ["PLATINUM", "BRONZE", "COPPER"])
            // MULTI_SELECT: remove B and rename C→D in one change.
            let tagOptions = try #require(try await bed.schema().field(id: tags)?.options)
            update = FieldUpdate()
            update.options = tagOptions.filter { $0.value != "B" }.map {
                FieldOptionInput(id: $0.id, value: $0.value == "C" ? "D" : $0.value, label: $0.label)
            }
            try await bed.changes.updateField(tags, update, in: bed.id, logger: bed.logger)
            #expect(try await values(bed, "tags") == ["{A}", "{D}", "{D}"])
            try await bed.expectSchemaMatchesMetadata()
            let stored = try await bed.schema().field(id: tags)?.options?.map(\.value)
            #expect(stored == ["A", "D"])
        }
    }

    @Test func deactivateHidesAndDeleteDrops() async throws {
        try await MetadataChangesTestBed.run { bed in
            let company = try await bed.object("company")
            let id = try await bed.changes.createField(
                FieldCreation(objectMetadataId: company.id, type: .currency, name: "budget", label: "Budget"), in: bed.id, logger: bed.logger)
            var update = FieldUpdate()
            update.isActive = false
            try await bed.changes.updateField(id, update, in: bed.id, logger: bed.logger)
            #expect(try await bed.schema().field(id: id)?.isActive == false)
            #expect(try await bed.columns("company")["budgetAmountMicros"] == "numeric")
            try await bed.changes.deleteField(id, in: bed.id, logger: bed.logger)
            #expect(try await bed.schema().field(id: id) == nil)
            #expect(try await bed.columns("company")["budgetAmountMicros"] == nil)
            #expect(try await bed.columns("company")["budgetCurrencyCode"] == nil)
            let missing = await #expect(throws: AtriumError.self) { try await bed.changes.deleteField(id, in: bed.id, logger: bed.logger) }
            #expect(missing?.code == .notFound)
            try await bed.expectSchemaMatchesMetadata()
        }
    }
}
