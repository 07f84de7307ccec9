@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// Every field type can be created as a custom field, and values round-trip through its columns.
@Suite(.tags(.integration)) struct FieldTypeRoundTripTests {
    /// A value for each column type, written as SQL literal text.
    static func sample(_ column: ColumnSpec) -> String {
        switch column.type {
        case .text: "it's text"
        case .uuid: "6b1f0c4e-2d3a-4b5c-8d9e-0f1a2b3c4d5e"
        case .float: "1.5"
        case .numeric: "12345678901234.5678"
        case .boolean: "true"
        case .timestamptz: "2024-01-02 03:04:05.678+00"
        case .date: "2024-01-02"
        case .jsonb: #"{"a": [1, "two"]}"#
        case .textArray: "{a,\"b c\"}"
        case .tsvector: "'word':1"
        case .enumeration: column.enumValues.last ?? ""
        case .enumerationArray: "{" + column.enumValues.joined(separator: ",") + "}"
        }
    }

    @Test func everyFieldTypeIsCreatableAndRoundTripsAtTheSQLLevel() async throws {
        try await MetadataChangesTestBed.run { bed in
            let gadgetID = try await bed.changes.createObject(
                ObjectCreation(nameSingular: "gadget", namePlural: "gadgets", labelSingular: "Gadget", labelPlural: "Gadgets"),
                in: bed.id, logger: bed.logger)
            let types = FieldType.allCases.filter { $0 != .relation && $0 != .morphRelation }
            for type in types {
                let options: [FieldOptionInput]? = type == .select || type == .multiSelect
                    ? [FieldOptionInput(value: "ALPHA", label: "Alpha"), FieldOptionInput(value: "BETA", label: "Beta")] : nil
                _ = try await bed.changes.createField(
                    FieldCreation(objectMetadataId: gadgetID, type: type, name: "f" + type.rawValue.lowercased().replacingOccurrences(of: "_", with: ""),
                                  label: "F \(type.rawValue)", options: options),
                    in: bed.id, logger: bed.logger)
            }
            let gadget = try await bed.object("gadget")
            #expect(gadget.targetTableName == "_gadget")
            #expect(gadget.isCustom)
            #expect(gadget.labelIdentifierField?.name == "name")
            try await bed.expectSchemaMatchesMetadata()

            let record = UUID()
            try await bed.run(#"INSERT INTO "\#(bed.schemaName)"."_gadget" ("id") VALUES ('\#(record)')"#)
            var checked = 0
            for type in types {
                let field = try #require(gadget.field(named: "f" + type.rawValue.lowercased().replacingOccurrences(of: "_", with: "")))
                #expect(field.type == type)
                #expect(field.isCustom)
                for column in FieldDefinition.storedColumns(field) {
                    let literal = try SQLLiteral(Self.sample(column)).quoted
                    let name = try SQLIdentifier(column.name)
                    try await bed.run(#"UPDATE "\#(bed.schemaName)"."_gadget" SET \#(name) = \#(literal) WHERE "id" = '\#(record)'"#)
                    let equal = try await bed.rows(PostgresQuery(unsafeSQL:
                        #"SELECT (\#(name) IS NOT DISTINCT FROM \#(literal)) AND \#(name) IS NOT NULL FROM "\#(bed.schemaName)"."_gadget" WHERE "id" = '\#(record)'"#),
                        Bool.self)
                    #expect(equal == [true], "\(type.rawValue) column \(column.name)")
                    checked += 1
                }
            }
            #expect(checked >= types.count)
        }
    }
}
