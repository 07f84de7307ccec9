import Crypto
import Foundation
import Logging
import PostgresNIO

/// A pool of pre-built, empty workspace schemas, so that creating a workspace renames one (a catalog update of a
/// few milliseconds) instead of running the DDL of every standard table (hundreds of milliseconds of catalog work).
///
/// Each spare records the fingerprint of the DDL it was built from; only spares of the current fingerprint are
/// claimed, so after an upgrade that changes the standard objects, older spares are dropped and never used.
/// Claiming uses `FOR UPDATE SKIP LOCKED`, so concurrent creations never share a spare; replenishing holds an advisory
/// lock, so several server instances never build spares at once.
public struct SpareSchemaPool: Sendable {
    let database: Database
    let objects: [ObjectDefinition]
    /// SHA-256 of the standard DDL, rendered for a placeholder schema.
    public let fingerprint: String

    static let lockKey: Int64 = 0x6174_7269_756D_7370

    public init(database: Database, objects: [ObjectDefinition]) throws {
        self.database = database
        self.objects = objects
        let placeholder = try SQLIdentifier("spare_fingerprint")
        let ddl = try WorkspaceDDL(schema: placeholder, objects: objects).createWorkspace(objects).joined(separator: ";\n")
        self.fingerprint = SHA256.hash(data: Data(ddl.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Drops spares of other fingerprints and builds spares until `target` of the current one exist.
    /// Returns how many were built; 0 when another process is replenishing.
    @discardableResult
    public func replenish(target: Int, logger: Logger) async throws -> Int {
        let built = try await AdvisoryLock.withLock(Self.lockKey, database: database, wait: false, logger: logger) {
            try await dropStale(logger: logger)
            var built = 0
            while try await count(logger: logger) < target {
                try await buildOne(logger: logger)
                built += 1
            }
            return built
        }
        return built ?? 0
    }

    /// Spares of the current fingerprint.
    public func count(logger: Logger) async throws -> Int {
        let rows = try await database.query(
            #"SELECT count(*)::int FROM core."workspaceSchemaSpare" WHERE "fingerprint" = \#(fingerprint)"#, logger: logger
        )
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// Claims a spare of `fingerprint` inside the caller's transaction; nil when none is free.
    static func claim(fingerprint: String, on connection: PostgresConnection, logger: Logger) async throws -> SQLIdentifier? {
        let rows = try await connection.query("""
            DELETE FROM core."workspaceSchemaSpare" WHERE "schemaName" = (
                SELECT "schemaName" FROM core."workspaceSchemaSpare" WHERE "fingerprint" = \(fingerprint)
                ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING "schemaName"
            """, logger: logger)
        for try await name in rows.decode(String.self) { return try SQLIdentifier(name) }
        return nil
    }

    private func buildOne(logger: Logger) async throws {
        let schema = try SQLIdentifier("spare_" + UUID().lowercased.replacingOccurrences(of: "-", with: ""))
        let ddl = try WorkspaceDDL(schema: schema, objects: objects).createWorkspace(objects)
        try await database.withTransaction(logger: logger, statementTimeout: database.settings.ddlStatementTimeout) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: WorkspaceProvisioner.batch(ddl)), logger: logger)
            try await connection.query("""
                INSERT INTO core."workspaceSchemaSpare" ("schemaName", "fingerprint") VALUES (\(schema.name), \(fingerprint))
                """, logger: logger)
        }
    }

    private func dropStale(logger: Logger) async throws {
        let rows = try await database.query(
            #"SELECT "schemaName" FROM core."workspaceSchemaSpare" WHERE "fingerprint" <> \#(fingerprint)"#, logger: logger
        )
        var stale: [String] = []
        for try await name in rows.decode(String.self) { stale.append(name) }
        for name in stale {
            let schema = try SQLIdentifier(name)
            try await database.withTransaction(logger: logger, statementTimeout: database.settings.ddlStatementTimeout) { connection in
                try await connection.query(#"DELETE FROM core."workspaceSchemaSpare" WHERE "schemaName" = \#(name)"#, logger: logger)
                try await connection.query("DROP SCHEMA IF EXISTS \(schema) CASCADE", logger: logger)
            }
        }
    }
}
