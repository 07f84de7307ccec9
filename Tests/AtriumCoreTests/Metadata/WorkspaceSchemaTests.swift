@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite(.tags(.integration)) struct WorkspaceSchemaTests {
    let logger = Logger(label: "test.workspace-schema")

    func scalar<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, _ type: T.Type, _ database: Database) async throws -> T? {
        for try await value in try await database.query(query, logger: logger).decode(T.self) { return value }
        return nil
    }

    /// Creates a workspace with every standard object, runs `body`, deletes the workspace.
    func withStandardWorkspace(_ body: @Sendable (Database, CreatedWorkspace) async throws -> Void) async throws {
        try await TestTenants.with(name: "Snapshot") { database, tenants in try await body(database, tenants[0].workspace) }
    }

    @Test func snapshotOfStandardWorkspaceMatchesMetadataRows() async throws {
        try await withStandardWorkspace { database, created in
            let loaded = try await WorkspaceSchemaLoader(database: database).load(created.id, logger: logger)
            let schema = try #require(loaded)
            #expect(schema.workspaceID == created.id)
            #expect(schema.metadataVersion == 1)
            #expect(schema.databaseSchema == created.databaseSchema)

            // Counts.
            let objects = try await scalar(#"SELECT count(*)::int FROM core."objectMetadata" WHERE "workspaceId" = \#(created.id)"#, Int.self, database)
            let fields = try await scalar(#"SELECT count(*)::int FROM core."fieldMetadata" WHERE "workspaceId" = \#(created.id)"#, Int.self, database)
            #expect(schema.objectCount == objects)
            #expect(schema.objectCount == StandardObjects.all.count)
            #expect(schema.fieldCount == fields)
            #expect(schema.objects.reduce(0) { $0 + $1.fields.count } == fields)

            // Lookups by name and id.
            let company = try #require(schema.object(named: "company"))
            #expect(schema.object(named: "companies")?.id == company.id)
            #expect(schema.object(namePlural: "company") == nil)
            #expect(schema.object(id: company.id)?.nameSingular == "company")
            #expect(company.labelIdentifierField?.name == "name")
            #expect(company.isSearchable && company.isActive && !company.isCustom)
            #expect(company.duplicateCriteria == [["name"], ["domainNamePrimaryLinkUrl"]])
            for object in schema.objects {
                #expect(schema.object(id: object.id)?.nameSingular == object.nameSingular)
                for field in object.fields {
                    #expect(schema.field(id: field.id)?.name == field.name)
                    #expect(schema.field(id: field.id)?.object.id == object.id)
                }
            }
            #expect(schema.object(id: UUID()) == nil)

            // A relation's target, both ways, against the rows.
            let owner = try #require(company.field(named: "accountOwner"))
            #expect(owner.type == .relation)
            #expect(owner.relationType == .manyToOne)
            #expect(owner.relationTargetObject?.nameSingular == "workspaceMember")
            #expect(owner.relationTargetField?.name == "accountOwnerForCompanies")
            #expect(owner.relationTargetField?.relationTargetField?.id == owner.id)
            let targetRow = try await scalar(
                #"SELECT "relationTargetObjectMetadataId" FROM core."fieldMetadata" WHERE "id" = \#(owner.id)"#, UUID.self, database)
            #expect(owner.relationTargetObject?.id == targetRow)
            #expect(owner.settings == ["relationType": "MANY_TO_ONE", "onDelete": "SET_NULL", "joinColumnName": "accountOwnerId"])

            // A select's options, ids included, against the rows.
            let stage = try #require(schema.object(named: "opportunity")?.field(named: "stage"))
            #expect(stage.type == .select)
            let optionsJSON = try #require(try await scalar(
                #"SELECT "options"::text FROM core."fieldMetadata" WHERE "id" = \#(stage.id)"#, String.self, database))
            struct Row: Decodable { let id: UUID; let value: String; let label: String; let position: Int; let color: String }
            let rows = try JSONDecoder().decode([Row].self, from: Data(optionsJSON.utf8))
            let options = try #require(stage.options)
            #expect(options.count == rows.count && !rows.isEmpty)
            #expect(options.map(\.id) == rows.map(\.id))
            #expect(options.map(\.value) == rows.map(\.value))
            #expect(options.map(\.color) == rows.map(\.color))
            #expect(company.field(named: "name")?.options == nil)
            #expect(company.field(named: "idealCustomerProfile")?.isNullable == false)
        }
    }

    @Test func encodedSnapshotRoundTripsAndSharesItsShape() async throws {
        let first = try WorkspaceSchema(definitions: StandardObjects.all)
        let second = try WorkspaceSchema(definitions: StandardObjects.all)
        #expect(first.shape === second.shape)
        #expect(first.ids !== second.ids)
        var clock = ContinuousClock.now
        let bytes = try first.encoded()
        let encoding = clock.duration(to: .now)
        clock = .now
        let decoded = try WorkspaceSchema(encoded: bytes)
        print("workspace-schema: encode \(encoding), decode \(clock.duration(to: .now)) (this build)")
        #expect(decoded.shape === first.shape)
        #expect(try decoded.encoded() == bytes)
        #expect(decoded.object(named: "person")?.field(named: "company")?.relationTargetObject?.id == first.object(named: "company")?.id)
        print("workspace-schema: standard snapshot \(first.objectCount) objects, \(first.fieldCount) fields, \(bytes.count) bytes encoded")

        // A workspace with one change shares every other object.
        var changed = StandardObjects.all
        changed[0].fields[0].label = "Renamed"
        let custom = try WorkspaceSchema(definitions: changed)
        #expect(custom.shape !== first.shape)
        let sharedObjects = zip(custom.shape.content.objects, first.shape.content.objects).filter { $0 == $1 }.count
        #expect(sharedObjects == first.objectCount - 1)
    }

    @Test func referenceFormNamesShapesByDigest() throws {
        let schema = try WorkspaceSchema(definitions: StandardObjects.all)
        let bytes = schema.referenceEncoded()
        print("workspace-schema: reference form for the shared cache \(bytes.count) bytes")
        guard case .schema(let decoded) = try WorkspaceSchema.decodeReference(bytes) else {
            Issue.record("the shapes are held in process")
            return
        }
        #expect(decoded.shape === schema.shape)
        #expect(try decoded.encoded() == schema.encoded())

        // A shape this process no longer holds is reported missing, then decoded from its record.
        var custom = StandardObjects.all
        custom[1].labelPlural = "Unique \(UUID())"
        var (reference, records): ([UInt8], [(digest: ShapeDigest, record: [UInt8])]) = ([], [])
        var expected: [UInt8] = []
        do {
            let made = try WorkspaceSchema(definitions: custom)
            (reference, records) = (made.referenceEncoded(), made.objectShapeRecords)
            expected = try made.encoded()
        }
        guard case .missingShapes(let missing) = try WorkspaceSchema.decodeReference(reference) else {
            Issue.record("the custom shape should have been freed")
            return
        }
        #expect(missing.count == 1)
        let record = try #require(records.first { $0.digest == missing[0] })
        let shape = try ObjectShape.interned(record: record.record)
        #expect(shape.digest == missing[0])
        guard case .schema(let restored) = try WorkspaceSchema.decodeReference(reference) else {
            Issue.record("the shape was interned again")
            return
        }
        #expect(try restored.encoded() == expected)
        #expect(throws: AtriumError.self) { try WorkspaceSchema.decodeReference(Array(reference.prefix(40))) }
    }

    @Test func bumpingTheVersionInATransaction() async throws {
        try await withStandardWorkspace { database, created in
            let (bumped, inside) = try await database.withTransaction(logger: logger) { connection in
                let version = try await WorkspaceMetadataVersion.bump(created.id, on: connection, logger: logger)
                let schema = try await WorkspaceSchemaLoader.load(created.id, on: connection, logger: logger)
                return (version, schema?.metadataVersion)
            }
            #expect(bumped == 2)
            #expect(inside == 2)
            #expect(try await WorkspaceSchemaLoader(database: database).currentVersion(created.id, logger: logger) == 2)
            let error = await #expect(throws: PostgresTransactionError.self) {
                try await database.withTransaction(logger: logger) { connection in
                    _ = try await WorkspaceMetadataVersion.bump(UUID(), on: connection, logger: logger)
                }
            }
            #expect((error?.closureError as? AtriumError)?.code == .notFound)
            #expect(try await WorkspaceSchemaLoader(database: database).load(UUID(), logger: logger) == nil)
        }
    }
}
