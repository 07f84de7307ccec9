import Foundation
import Logging
import PostgresNIO

/// The SQL of `core."apiKey"`. Values are always bound; every statement is a static literal.
struct APIKeyStore: Sendable {
    let database: Database

    /// A key together with what authentication needs to know of its workspace.
    struct Lookup: Sendable {
        let key: APIKey
        /// The workspace's `activationStatus` (`ACTIVE`, `SUSPENDED`, …).
        let workspaceStatus: String
        /// Whether the workspace is soft-deleted.
        let workspaceDeleted: Bool
    }

    typealias Row = (UUID, String, UUID, Date, Date?, Date, Date, Date?)

    func workspaceExists(_ workspaceID: UUID, logger: Logger) async throws -> Bool {
        let rows = try await database.query("""
            SELECT count(*)::int FROM core."workspace" WHERE id = \(workspaceID) AND "deletedAt" IS NULL
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count > 0 }
        return false
    }

    /// The role a new key of `workspaceID` gets: `roleID` when it is one of the workspace's roles that may be given to
    /// API keys, the workspace's Admin role when `roleID` is nil; nil otherwise. A workspace that has no role at all
    /// (made before roles existed and not upgraded yet) gets its standard roles first.
    func assignableRole(_ roleID: UUID?, workspaceID: UUID, logger: Logger) async throws -> UUID? {
        try await database.write("""
            SELECT core."atrium_create_standard_roles"(w."id") FROM core."workspace" w
            WHERE w."id" = \(workspaceID) AND NOT EXISTS (SELECT 1 FROM core."role" r WHERE r."workspaceId" = w."id")
            """, logger: logger)
        let rows = try await database.query("""
            SELECT "id" FROM core."role"
            WHERE "workspaceId" = \(workspaceID) AND "canBeAssignedToApiKeys"
              AND (("id" = \(roleID)) OR (\(roleID)::uuid IS NULL AND "label" = 'Admin' AND NOT "isEditable"))
            """, logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        return nil
    }

    /// Inserts the key and its role target in one statement.
    func insert(id: UUID, name: String, workspaceID: UUID, expiresAt: Date, roleID: UUID, logger: Logger) async throws -> APIKey {
        let rows = try await database.write("""
            WITH key AS (
                INSERT INTO core."apiKey" (id, name, "expiresAt", "workspaceId")
                VALUES (\(id), \(name), \(expiresAt), \(workspaceID))
                RETURNING id, name, "workspaceId", "expiresAt", "revokedAt", "createdAt", "updatedAt", "deletedAt"
            ), target AS (
                INSERT INTO core."roleTargets" ("workspaceId", "roleId", "apiKeyId") SELECT "workspaceId", \(roleID), id FROM key
            )
            SELECT * FROM key
            """, logger: logger)
        guard let key = try await Self.keys(rows).first else { throw AtriumError(.internalError, "API key was not stored") }
        return key
    }

    /// The key `id` (whatever its state) with its workspace's status, or nil when there is no such row.
    func lookup(_ id: UUID, logger: Logger) async throws -> Lookup? {
        let rows = try await database.query("""
            SELECT k.id, k.name, k."workspaceId", k."expiresAt", k."revokedAt", k."createdAt", k."updatedAt", k."deletedAt",
                   w."activationStatus"::text, w."deletedAt" IS NOT NULL
            FROM core."apiKey" k JOIN core."workspace" w ON w.id = k."workspaceId"
            WHERE k.id = \(id)
            """, logger: logger)
        for try await row in rows.decode((UUID, String, UUID, Date, Date?, Date, Date, Date?, String, Bool).self) {
            let key = APIKey(
                id: row.0, name: row.1, workspaceID: row.2, expiresAt: row.3, revokedAt: row.4,
                createdAt: row.5, updatedAt: row.6, deletedAt: row.7
            )
            return Lookup(key: key, workspaceStatus: row.8, workspaceDeleted: row.9)
        }
        return nil
    }

    /// Sets `revokedAt` (kept when already set) on a live key; nil when there is no such key.
    func revoke(_ id: UUID, workspaceID: UUID?, logger: Logger) async throws -> APIKey? {
        let rows = try await database.write("""
            UPDATE core."apiKey" SET "revokedAt" = COALESCE("revokedAt", now()), "updatedAt" = now()
            WHERE id = \(id) AND (\(workspaceID)::uuid IS NULL OR "workspaceId" = \(workspaceID)) AND "deletedAt" IS NULL
            RETURNING id, name, "workspaceId", "expiresAt", "revokedAt", "createdAt", "updatedAt", "deletedAt"
            """, logger: logger)
        return try await Self.keys(rows).first
    }

    /// Renames a live key of `workspaceID`; nil when there is no such key.
    func rename(_ id: UUID, workspaceID: UUID, name: String, logger: Logger) async throws -> APIKey? {
        let rows = try await database.write("""
            UPDATE core."apiKey" SET "name" = \(name), "updatedAt" = now()
            WHERE id = \(id) AND "workspaceId" = \(workspaceID) AND "deletedAt" IS NULL
            RETURNING id, name, "workspaceId", "expiresAt", "revokedAt", "createdAt", "updatedAt", "deletedAt"
            """, logger: logger)
        return try await Self.keys(rows).first
    }

    /// The workspace's keys that are not deleted (revoked and expired ones included), oldest first.
    func list(workspaceID: UUID, logger: Logger) async throws -> [APIKey] {
        let rows = try await database.query("""
            SELECT id, name, "workspaceId", "expiresAt", "revokedAt", "createdAt", "updatedAt", "deletedAt"
            FROM core."apiKey" WHERE "workspaceId" = \(workspaceID) AND "deletedAt" IS NULL
            ORDER BY "createdAt", id
            """, logger: logger)
        return try await Self.keys(rows)
    }

    private static func keys(_ rows: DatabaseRows) async throws -> [APIKey] {
        var keys: [APIKey] = []
        for try await row in rows.decode(Row.self) {
            keys.append(APIKey(
                id: row.0, name: row.1, workspaceID: row.2, expiresAt: row.3, revokedAt: row.4,
                createdAt: row.5, updatedAt: row.6, deletedAt: row.7
            ))
        }
        return keys
    }
}
