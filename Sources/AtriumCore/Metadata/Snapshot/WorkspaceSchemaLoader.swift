import Foundation
import Logging
import PostgresNIO

/// Reads a workspace's ``WorkspaceSchema`` from PostgreSQL in one statement: PostgreSQL renders the workspace, its
/// objects and their fields as one JSON document (`json_agg` of objects with nested fields), which is decoded once.
///
/// ```swift
/// let schema = try await WorkspaceSchemaLoader(database: database).load(workspaceID, logger: logger)
/// ```
public struct WorkspaceSchemaLoader: Sendable {
    let database: Database

    /// - Parameter database: Where `core` lives.
    public init(database: Database) {
        self.database = database
    }

    /// The snapshot of `workspace`, or `nil` when there is no such workspace.
    public func load(_ workspace: UUID, logger: Logger) async throws -> WorkspaceSchema? {
        try await Self.decode(database.query(Self.query(workspace), logger: logger))
    }

    /// The snapshot of `workspace` as the caller's transaction sees it (its own uncommitted changes included).
    public static func load(_ workspace: UUID, on connection: PostgresConnection, logger: Logger) async throws -> WorkspaceSchema? {
        var rows: [PostgresRow] = []
        for try await row in try await connection.query(query(workspace), logger: logger) { rows.append(row) }
        return try await decode(DatabaseRows(rows))
    }

    /// `core.workspace."metadataVersion"` of `workspace`, or `nil` when there is no such workspace.
    public func currentVersion(_ workspace: UUID, logger: Logger) async throws -> Int? {
        let rows = try await database.query(#"SELECT "metadataVersion" FROM core."workspace" WHERE "id" = \#(workspace)"#, logger: logger)
        for try await version in rows.decode(Int.self) { return version }
        return nil
    }

    private static func decode(_ rows: DatabaseRows) async throws -> WorkspaceSchema? {
        for try await text in rows.decode(String.self) {
            return try WorkspaceSchema(wire: JSONDecoder().decode(WorkspaceSchemaWire.self, from: Data(text.utf8)))
        }
        return nil
    }

    /// The statement: keys and bit sets are those of ``WorkspaceSchemaWire``.
    static func query(_ workspace: UUID) -> PostgresQuery {
        """
        SELECT json_build_object(
            'w', w."id", 'v', w."metadataVersion", 's', w."databaseSchema",
            'o', COALESCE((
                SELECT json_agg(json_build_object(
                    'i', o."id", 'ns', o."nameSingular", 'np', o."namePlural", 'ls', o."labelSingular", 'lp', o."labelPlural",
                    'd', o."description", 'ic', o."icon", 't', o."targetTableName",
                    'b', o."isCustom"::int + 2 * o."isRemote"::int + 4 * o."isActive"::int + 8 * o."isSystem"::int
                        + 16 * o."isAuditLogged"::int + 32 * o."isSearchable"::int + 64 * o."isLabelSyncedWithName"::int,
                    'dc', o."duplicateCriteria", 'sc', o."shortcut",
                    'li', o."labelIdentifierFieldMetadataId", 'ii', o."imageIdentifierFieldMetadataId",
                    'f', (
                        SELECT json_agg(json_build_object(
                            'i', f."id", 'n', f."name", 'y', f."type", 'l', f."label", 'dv', f."defaultValue",
                            'd', f."description", 'ic', f."icon", 'op', f."options", 'st', f."settings",
                            'b', f."isCustom"::int + 2 * f."isActive"::int + 4 * f."isSystem"::int + 8 * f."isUIReadOnly"::int
                                + 16 * f."isNullable"::int + 32 * f."isUnique"::int + 64 * f."isLabelSyncedWithName"::int,
                            'rf', f."relationTargetFieldMetadataId", 'ro', f."relationTargetObjectMetadataId", 'm', f."morphId"
                        ) ORDER BY f."name")
                        FROM core."fieldMetadata" f WHERE f."objectMetadataId" = o."id"
                    )
                ) ORDER BY o."nameSingular")
                FROM core."objectMetadata" o WHERE o."workspaceId" = w."id"
            ), '[]'::json)
        )::text
        FROM core."workspace" w WHERE w."id" = \(workspace)
        """
    }
}

/// `core.workspace."metadataVersion"`: bumped in the transaction of every metadata change.
public enum WorkspaceMetadataVersion {
    /// Increments the version of `workspace` on the caller's transaction.
    /// - Returns: The new version.
    /// - Throws: ``AtriumError`` `.notFound` when there is no such workspace.
    public static func bump(_ workspace: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(#"""
            UPDATE core."workspace" SET "metadataVersion" = "metadataVersion" + 1, "updatedAt" = now()
            WHERE "id" = \#(workspace) RETURNING "metadataVersion"
            """#, logger: logger)
        for try await version in rows.decode(Int.self) { return version }
        throw AtriumError(.notFound, "There is no workspace \(workspace)")
    }
}
