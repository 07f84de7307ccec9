@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// MORPH_RELATION fields created at run time: one `<name><Target>Id` column with its foreign key per target, an
/// inverse one-to-many field on each target; renamed, and removed with the field or with one of its targets.
@Suite(.tags(.integration)) struct MorphRelationFieldTests {
    @Test func aMorphFieldIsCreatedRenamedAndDeletedWithItsColumnsAndInverses() async throws {
        try await MetadataChangesTestBed.run { bed in
            let ticketID = try await bed.changes.createObject(
                ObjectCreation(nameSingular: "ticket", namePlural: "tickets", labelSingular: "Ticket", labelPlural: "Tickets"),
                in: bed.id, logger: bed.logger)
            let company = try await bed.object("company")
            let person = try await bed.object("person")
            let morphID = try await bed.changes.createField(
                FieldCreation(objectMetadataId: ticketID, type: .morphRelation, name: "requester", label: "Requester",
                              settings: ["onDelete": "CASCADE"],
                              morphRelations: [
                                  RelationCreation(targetObjectMetadataId: company.id, targetFieldLabel: "Requested Tickets"),
                                  RelationCreation(targetObjectMetadataId: person.id, targetFieldLabel: "Tickets Requested"),
                              ]),
                in: bed.id, logger: bed.logger)

            let schema = try await bed.schema()
            let morph = try #require(schema.object(nameSingular: "ticket")?.field(named: "requester"))
            #expect(morph.id == morphID && morph.type == .morphRelation)
            #expect(Set(morph.morphTargetObjects.map(\.nameSingular)) == ["company", "person"])
            #expect(schema.object(nameSingular: "company")?.field(named: "requestedTickets")?.relationTargetField?.id == morphID)
            #expect(schema.object(nameSingular: "person")?.field(named: "ticketsRequested")?.relationType == .oneToMany)
            #expect(try await bed.columns("_ticket")["requesterCompanyId"] == "uuid")
            #expect(try await bed.columns("_ticket")["requesterPersonId"] == "uuid")
            try await bed.expectSchemaMatchesMetadata()

            // The foreign keys hold, with the declared ON DELETE.
            let companyRow = UUID()
            try await bed.run(#"INSERT INTO "\#(bed.schemaName)"."company" ("id", "name") VALUES ('\#(companyRow)', 'Acme')"#)
            try await bed.run(#"INSERT INTO "\#(bed.schemaName)"."_ticket" ("requesterCompanyId") VALUES ('\#(companyRow)')"#)
            await #expect(throws: MetadataChangesTestBed.SQLFailure.self) {
                try await bed.run(#"INSERT INTO "\#(bed.schemaName)"."_ticket" ("requesterPersonId") VALUES ('\#(UUID())')"#)
            }
            try await bed.run(#"DELETE FROM "\#(bed.schemaName)"."company" WHERE "id" = '\#(companyRow)'"#)
            #expect(try await bed.rows(PostgresQuery(unsafeSQL: #"SELECT count(*)::int FROM "\#(bed.schemaName)"."_ticket""#), Int.self) == [0])

            // Renaming renames every column and keeps the inverses pointing at it.
            var rename = FieldUpdate()
            rename.name = "raisedBy"
            try await bed.changes.updateField(morphID, rename, in: bed.id, logger: bed.logger)
            let columns = try await bed.columns("_ticket")
            #expect(columns["raisedByCompanyId"] == "uuid" && columns["raisedByPersonId"] == "uuid" && columns["requesterCompanyId"] == nil)
            #expect(try await bed.schema().object(nameSingular: "company")?.field(named: "requestedTickets")?.relationTargetField?.name == "raisedBy")
            try await bed.expectSchemaMatchesMetadata()

            try await bed.changes.deleteField(morphID, in: bed.id, logger: bed.logger)
            let after = try await bed.schema()
            #expect(after.object(nameSingular: "ticket")?.field(named: "raisedBy") == nil)
            #expect(after.object(nameSingular: "company")?.field(named: "requestedTickets") == nil)
            #expect(after.object(nameSingular: "person")?.field(named: "ticketsRequested") == nil)
            #expect(try await bed.columns("_ticket").keys.contains { $0.hasPrefix("raisedBy") } == false)
            try await bed.expectSchemaMatchesMetadata()
        }
    }

    @Test func deletingOneTargetObjectDropsOnlyItsColumn() async throws {
        try await MetadataChangesTestBed.run { bed in
            let ticketID = try await bed.changes.createObject(
                ObjectCreation(nameSingular: "ticket", namePlural: "tickets", labelSingular: "Ticket", labelPlural: "Tickets"),
                in: bed.id, logger: bed.logger)
            let vendorID = try await bed.changes.createObject(
                ObjectCreation(nameSingular: "vendor", namePlural: "vendors", labelSingular: "Vendor", labelPlural: "Vendors"),
                in: bed.id, logger: bed.logger)
            let company = try await bed.object("company")
            let morphID = try await bed.changes.createField(
                FieldCreation(objectMetadataId: ticketID, type: .morphRelation, name: "owner", label: "Owner",
                              morphRelations: [RelationCreation(targetObjectMetadataId: company.id, targetFieldLabel: "Owned Tickets"),
                                               RelationCreation(targetObjectMetadataId: vendorID, targetFieldLabel: "Owned Tickets")]),
                in: bed.id, logger: bed.logger)
            #expect(try await bed.columns("_ticket")["ownerVendorId"] == "uuid")

            try await bed.changes.deleteObject(vendorID, in: bed.id, logger: bed.logger)
            let schema = try await bed.schema()
            let morph = try #require(schema.object(nameSingular: "ticket")?.field(named: "owner"))
            #expect(morph.id == morphID && morph.morphTargetObjects.map(\.nameSingular) == ["company"])
            let columns = try await bed.columns("_ticket")
            #expect(columns["ownerVendorId"] == nil && columns["ownerCompanyId"] == "uuid")
            try await bed.expectSchemaMatchesMetadata()

            // Deleting the object holding the morph field removes the inverse on the remaining target.
            try await bed.changes.deleteObject(ticketID, in: bed.id, logger: bed.logger)
            #expect(try await bed.schema().object(nameSingular: "company")?.field(named: "ownedTickets") == nil)
            try await bed.expectSchemaMatchesMetadata()
        }
    }

    @Test func badMorphPayloadsAreRefusedAndChangeNothing() async throws {
        try await MetadataChangesTestBed.run { bed in
            let company = try await bed.object("company")
            let before = try await bed.fingerprint()
            let cases: [(FieldCreation, String)] = [
                (FieldCreation(objectMetadataId: company.id, type: .morphRelation, name: "owner", label: "Owner"), "morphRelationsCreationPayload"),
                (FieldCreation(objectMetadataId: company.id, type: .morphRelation, name: "owner", label: "Owner",
                               morphRelations: [RelationCreation(targetObjectMetadataId: UUID())]), "does not exist"),
                (FieldCreation(objectMetadataId: company.id, type: .morphRelation, name: "owner", label: "Owner",
                               morphRelations: [RelationCreation(targetObjectMetadataId: company.id, targetFieldLabel: "A"),
                                                RelationCreation(targetObjectMetadataId: company.id, targetFieldLabel: "B")]), "twice"),
                (FieldCreation(objectMetadataId: company.id, type: .morphRelation, name: "owner", label: "Owner",
                               morphRelations: [RelationCreation(targetObjectMetadataId: company.id, type: .oneToMany)]), "MANY_TO_ONE"),
                (FieldCreation(objectMetadataId: company.id, type: .morphRelation, name: "name", label: "Name",
                               morphRelations: [RelationCreation(targetObjectMetadataId: company.id, targetFieldLabel: "Named")]), "not available"),
            ]
            for (creation, message) in cases {
                let error = await #expect(throws: AtriumError.self) {
                    _ = try await bed.changes.createField(creation, in: bed.id, logger: bed.logger)
                }
                #expect(error?.code == .validationFailed)
                #expect(error?.message.contains(message) == true, "\(error?.message ?? "") should mention \(message)")
            }
            #expect(try await bed.fingerprint() == before)
        }
    }
}
