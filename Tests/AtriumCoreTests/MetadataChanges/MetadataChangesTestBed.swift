@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// A fresh database and workspace with every standard object, the metadata cache (process-local) and `MetadataChanges` that runs
/// its deferred DDL before returning; the workspace is deleted afterwards.
struct MetadataChangesTestBed: Sendable {
    let database: Database
    let workspace: CreatedWorkspace
    let cache: WorkspaceSchemaCache
    let changes: MetadataChanges
    let deferred: DeferredDDLRunner
    let logger: Logger

    /// Each bed has a database of its own: every application under test runs a deferred DDL runner that serves every
    /// workspace of its database, and it must not take over (or hold the lock of) this workspace's deferred work.
    static func run(_ body: @Sendable (MetadataChangesTestBed) async throws -> Void) async throws {
        try await TestDatabase.withFreshCore { database, _ in try await run(in: database, body) }
    }

    private static func run(in database: Database, _ body: @Sendable (MetadataChangesTestBed) async throws -> Void) async throws {
        var configured = Logger(label: "test.metadata-changes")
        configured.logLevel = .error
        let logger = configured
        try await TestTenants.with(name: "Metadata", in: database) { tenants in
            let cache = WorkspaceSchemaCache(database: database, store: nil, logger: logger)
            let deferred = DeferredDDLRunner(database: database, logger: logger)
            try await body(MetadataChangesTestBed(database: database, workspace: tenants[0].workspace, cache: cache,
                                                  changes: MetadataChanges(cache: cache, deferred: deferred, mode: .inline),
                                                  deferred: deferred, logger: logger))
        }
    }

    var id: UUID { workspace.id }
    var schemaName: String { workspace.databaseSchema }

    func schema() async throws -> WorkspaceSchema { try await cache.schema(for: id, logger: logger) }

    func object(_ name: String) async throws -> WorkspaceSchema.Object {
        try #require(try await schema().object(nameSingular: name), "no object \(name)")
    }

    func rows<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, _ type: T.Type) async throws -> [T] {
        var values: [T] = []
        do {
            for try await value in try await database.query(query, logger: logger).decode(T.self) { values.append(value) }
        } catch let error as PSQLError {
            throw SQLFailure(sql: query.sql, message: error.serverInfo?[.message] ?? "\(error.code)")
        }
        return values
    }

    func run(_ sql: String) async throws {
        do {
            try await database.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch let error as PSQLError {
            throw SQLFailure(sql: sql, message: error.serverInfo?[.message] ?? "\(error.code)")
        }
    }

    /// A failed statement of a test, with PostgreSQL's message (PSQLError's description hides it).
    struct SQLFailure: Error, CustomStringConvertible {
        let sql: String
        let message: String
        var description: String { "\(message) — in: \(sql)" }
    }

    /// Columns of `table`: name → udt name (`text`, `uuid`, `_text`, `_invoice_status_enum` …).
    func columns(_ table: String) async throws -> [String: String] {
        var columns: [String: String] = [:]
        let rows = try await database.query("""
            SELECT column_name::text, udt_name::text FROM information_schema.columns WHERE table_schema = \(schemaName) AND table_name = \(table)
            """, logger: logger)
        for try await (name, type) in rows.decode((String, String).self) { columns[name] = type }
        return columns
    }

    /// Everything a failed change must leave untouched: metadata rows, the version, every column and type of the schema.
    func fingerprint() async throws -> String {
        let parts = try await rows("""
            SELECT concat_ws('|',
                (SELECT "metadataVersion"::text FROM core."workspace" WHERE "id" = \(id)),
                (SELECT md5(string_agg(o::text, ',' ORDER BY o."id")) FROM core."objectMetadata" o WHERE o."workspaceId" = \(id)),
                (SELECT md5(string_agg(f::text, ',' ORDER BY f."id")) FROM core."fieldMetadata" f WHERE f."workspaceId" = \(id)),
                (SELECT md5(string_agg(table_name || '.' || column_name || ':' || udt_name || ':' || is_nullable || ':' || coalesce(column_default, ''),
                    ',' ORDER BY table_name, column_name)) FROM information_schema.columns WHERE table_schema = \(schemaName)),
                (SELECT md5(string_agg(t.typname || ':' || coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                    FROM pg_enum e WHERE e.enumtypid = t.oid), ''), ',' ORDER BY t.typname))
                    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = \(schemaName) AND t.typtype = 'e'),
                (SELECT md5(string_agg(conname, ',' ORDER BY conname)) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                    WHERE n.nspname = \(schemaName)),
                (SELECT md5(string_agg(indexname, ',' ORDER BY indexname)) FROM pg_indexes WHERE schemaname = \(schemaName)))
            """, String.self)
        return parts.first ?? ""
    }

    /// Checks that the schema and the metadata agree: every field's columns exist with their types, every column is
    /// some field's, every many-to-one relation has a validated foreign key and a valid index.
    func expectSchemaMatchesMetadata(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let snapshot = try await schema()
        let tables = try await rows("""
            SELECT table_name::text FROM information_schema.tables WHERE table_schema = \(schemaName) AND table_type = 'BASE TABLE'
            """, String.self)
        #expect(Set(tables) == Set(snapshot.objects.map(\.targetTableName)), "tables vs objects", sourceLocation: sourceLocation)
        for object in snapshot.objects {
            let actual = try await columns(object.targetTableName)
            var expected: Set<String> = []
            for field in object.fields {
                for column in FieldDefinition.storedColumns(field) {
                    expected.insert(column.name)
                    let udt = actual[column.name]
                    switch column.type {
                    case .enumeration: #expect(udt == column.enumTypeName(table: object.targetTableName), "\(object.nameSingular).\(column.name)", sourceLocation: sourceLocation)
                    case .enumerationArray: #expect(udt == "_" + column.enumTypeName(table: object.targetTableName), sourceLocation: sourceLocation)
                    default: #expect(udt != nil, "missing column \(object.targetTableName).\(column.name)", sourceLocation: sourceLocation)
                    }
                }
                if field.type == .relation, field.relationType == .manyToOne, let target = field.relationTargetObject {
                    let constraints = try await rows("""
                        SELECT c.convalidated FROM pg_constraint c
                        JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                        JOIN pg_class r ON r.oid = c.confrelid
                        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = c.conkey[1]
                        WHERE c.contype = 'f' AND n.nspname = \(schemaName) AND t.relname = \(object.targetTableName)
                          AND a.attname = \(field.name + "Id") AND r.relname = \(target.targetTableName)
                        """, Bool.self)
                    #expect(constraints == [true], "validated FK \(object.targetTableName).\(field.name)Id", sourceLocation: sourceLocation)
                    let indexes = try await rows("""
                        SELECT i.indisvalid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
                        WHERE n.nspname = \(schemaName) AND t.relname = \(object.targetTableName) AND a.attname = \(field.name + "Id")
                        """, Bool.self)
                    #expect(indexes.contains(true) && !indexes.contains(false), "index on \(object.targetTableName).\(field.name)Id", sourceLocation: sourceLocation)
                }
            }
            #expect(Set(actual.keys) == expected, "columns of \(object.targetTableName)", sourceLocation: sourceLocation)
        }
        let pending = try await rows(#"SELECT count(*)::int FROM core."workspaceDeferredDDL" WHERE "workspaceId" = \#(id)"#, Int.self)
        #expect(pending == [0], "deferred DDL left", sourceLocation: sourceLocation)
    }
}
