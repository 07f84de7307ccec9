@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// Invalid names, types, options, defaults and relation targets are refused with a 400-class error naming the
/// problem, and change nothing (metadata, version, columns, types, constraints and indexes compared before/after).
@Suite(.tags(.integration)) struct MetadataValidationTests {
    @Test func invalidChangesAreRefusedAndChangeNothing() async throws {
        try await MetadataChangesTestBed.run { bed in
            _ = try await bed.changes.createField(
                FieldCreation(objectMetadataId: try await bed.object("company").id, type: .text, name: "fooFirstName", label: "Foo first name"),
                in: bed.id, logger: bed.logger)
            let company = try await bed.object("company")
            let before = try await bed.fingerprint()
            func field(_ name: String, _ type: FieldType = .text, options: [FieldOptionInput]? = nil, defaultValue: JSONValue? = nil,
                       relation: RelationCreation? = nil, object: UUID? = nil) -> FieldCreation {
                FieldCreation(objectMetadataId: object ?? company.id, type: type, name: name, label: "Label", defaultValue: defaultValue,
                              options: options, relation: relation)
            }
            let longName = "a" + String(repeating: "b", count: 63)
            let cases: [(String, FieldCreation, String)] = [
                ("upper-case start", field("Bad"), "camelCase"),
                ("digit start", field("1abc"), "camelCase"),
                ("underscore", field("has_underscore"), "camelCase"),
                ("too long", field(longName), "exceeds 63"),
                ("reserved", field("type"), "not available"),
                ("taken", field("name"), "already has a field"),
                ("composite column clash", field("addressAddressCity"), "column \"addressAddressCity\" already exists"),
                ("composite columns clash", field("foo", .fullName), "column \"fooFirstName\" already exists"),
                ("no options", field("stage2", .select), "Options are required"),
                ("lower-case option", field("stage2", .select, options: [FieldOptionInput(value: "new", label: "New")]), "upper snake case"),
                ("duplicate option", field("stage2", .multiSelect, options: [FieldOptionInput(value: "A", label: "A"), FieldOptionInput(value: "A", label: "B")]),
                 "used twice"),
                ("default not an option", field("stage2", .select, options: [FieldOptionInput(value: "A", label: "A")], defaultValue: "'B'"), "not one of"),
                ("default of wrong type", field("count2", .number, defaultValue: "'x'"), "does not fit"),
                ("unknown relation target", field("owner2", .relation, relation: RelationCreation(targetObjectMetadataId: UUID())), "does not exist"),
                ("relation without payload", field("owner2", .relation), "relationCreationPayload"),
                ("inverse name taken", field("owner2", .relation, relation: RelationCreation(targetObjectMetadataId: company.id, targetFieldLabel: "People")),
                 "Target field"),
                ("unknown object", field("x", object: UUID()), "does not exist"),
                ("morph relation", field("x", .morphRelation), "MORPH_RELATION"),
            ]
            for (label, creation, message) in cases {
                let error = await #expect(throws: AtriumError.self, "\(label)") {
                    _ = try await bed.changes.createField(creation, in: bed.id, logger: bed.logger)
                }
                #expect(error?.code == .validationFailed, "\(label): \(String(describing: error))")
                #expect(error?.message.contains(message) == true, "\(label): \(error?.message ?? "")")
            }
            let objects: [(String, ObjectCreation, String)] = [
                ("singular taken", ObjectCreation(nameSingular: "company", namePlural: "companiez", labelSingular: "A", labelPlural: "B"), "not available"),
                ("plural taken as singular", ObjectCreation(nameSingular: "people", namePlural: "peoples", labelSingular: "A", labelPlural: "B"), "not available"),
                ("same names", ObjectCreation(nameSingular: "thing", namePlural: "thing", labelSingular: "A", labelPlural: "B"), "must differ"),
                ("reserved", ObjectCreation(nameSingular: "event", namePlural: "eventz", labelSingular: "A", labelPlural: "B"), "not available"),
                ("bad name", ObjectCreation(nameSingular: "my_thing", namePlural: "myThings", labelSingular: "A", labelPlural: "B"), "camelCase"),
                ("empty label", ObjectCreation(nameSingular: "thing", namePlural: "things", labelSingular: " ", labelPlural: "B"), "cannot be empty"),
                ("junction clash", ObjectCreation(nameSingular: "target", namePlural: "targets", labelSingular: "A", labelPlural: "B"), "not available"),
            ]
            for (label, creation, message) in objects {
                let error = await #expect(throws: AtriumError.self, "\(label)") {
                    _ = try await bed.changes.createObject(creation, in: bed.id, logger: bed.logger)
                }
                #expect(error?.code == .validationFailed, "\(label)")
                #expect(error?.message.contains(message) == true, "\(label): \(error?.message ?? "")")
            }
            // Standard things cannot be deleted or reshaped.
            let name = try #require(company.field(named: "name"))
            await #expect(throws: AtriumError.self) { try await bed.changes.deleteField(name.id, in: bed.id, logger: bed.logger) }
            await #expect(throws: AtriumError.self) { try await bed.changes.deleteObject(company.id, in: bed.id, logger: bed.logger) }
            var rename = FieldUpdate()
            rename.name = "title"
            await #expect(throws: AtriumError.self) { try await bed.changes.updateField(name.id, rename, in: bed.id, logger: bed.logger) }
            let after = try await bed.fingerprint()
            #expect(before == after)
        }
    }

    @Test func nameRules() throws {
        for good in ["a", "invoice", "lineItem2", "x" + String(repeating: "y", count: 62)] {
            #expect(throws: Never.self) { try MetadataNameRules.validate(good, what: "name") }
        }
        for bad in ["", "A", "9a", "a-b", "a b", "é", "x" + String(repeating: "y", count: 63), "workspace", "relations", "fields"] {
            #expect(throws: AtriumError.self, "\(bad)") { try MetadataNameRules.validate(bad, what: "name") }
        }
        #expect(MetadataNameRules.camelCase("Primary Contacts") == "primaryContacts")
        #expect(MetadataNameRules.camelCase("2nd invoice") == "ndInvoice")
    }
}
