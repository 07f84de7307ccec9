import Foundation
import Logging
import PostgresNIO

/// Lists workspaces and changes their lifecycle: suspend, activate, delete (soft or hard).
///
/// With a shared store, each lifecycle change is announced on ``CacheKey/workspaceStatusChanges`` after it commits,
/// so every running server (``APIKeyInvalidationService``) stops trusting its cached state of the workspace at once
/// rather than after its cache TTL.
///
/// ```swift
/// try await WorkspaceAdministration(database: database, announcements: store).suspend(workspace, logger: logger)
/// ```
public struct WorkspaceAdministration: Sendable {
    /// One workspace as listed.
    public struct Summary: Sendable, Codable, Equatable {
        public let id: UUID
        public let displayName: String?
        public let subdomain: String
        public let databaseSchema: String
        public let activationStatus: String
        public let createdAt: Date
        public let deletedAt: Date?
    }

    let database: Database
    /// Where lifecycle changes are announced (Redis); nil for a single process.
    let announcements: (any MetadataSharedStore)?

    /// - Parameters:
    ///   - database: Where `core."workspace"` lives.
    ///   - announcements: The shared store to announce lifecycle changes on; nil announces nothing.
    public init(database: Database, announcements: (any MetadataSharedStore)? = nil) {
        self.database = database
        self.announcements = announcements
    }

    /// Every workspace, oldest first (soft-deleted ones included, marked by `deletedAt`).
    public func list(logger: Logger) async throws -> [Summary] {
        let rows = try await database.query("""
            SELECT "id", "displayName", "subdomain", "databaseSchema", "activationStatus"::text, "createdAt", "deletedAt"
            FROM core."workspace" ORDER BY "createdAt", "id"
            """, logger: logger)
        var result: [Summary] = []
        for try await (id, name, subdomain, schema, status, createdAt, deletedAt) in rows.decode((UUID, String?, String, String, String, Date, Date?).self) {
            result.append(Summary(id: id, displayName: name, subdomain: subdomain, databaseSchema: schema, activationStatus: status,
                                  createdAt: createdAt, deletedAt: deletedAt))
        }
        return result
    }

    /// Suspends an active workspace: its data stays, its API access stops, upgrades still include it.
    public func suspend(_ id: UUID, logger: Logger) async throws {
        try await setStatus(id, to: "SUSPENDED", allowedFrom: ["ACTIVE", "SUSPENDED"], logger: logger)
        await announce(id, logger: logger)
    }

    /// Re-activates a suspended or inactive workspace.
    public func activate(_ id: UUID, logger: Logger) async throws {
        try await setStatus(id, to: "ACTIVE", allowedFrom: ["ACTIVE", "SUSPENDED", "INACTIVE"], logger: logger)
        await announce(id, logger: logger)
    }

    /// Soft delete: the workspace becomes INACTIVE with `deletedAt` set; its schema and rows are kept.
    /// Hard delete: its schema, metadata, memberships, keys and upgrade history are removed, in one transaction.
    public func delete(_ id: UUID, hard: Bool, logger: Logger) async throws {
        try await deleteRows(id, hard: hard, logger: logger)
        await announce(id, logger: logger)
    }

    private func deleteRows(_ id: UUID, hard: Bool, logger: Logger) async throws {
        guard let summary = try await list(logger: logger).first(where: { $0.id == id }) else {
            throw AtriumError(.notFound, "Workspace \(id.lowercased) does not exist")
        }
        guard hard else {
            try await database.write("""
                UPDATE core."workspace" SET "activationStatus" = 'INACTIVE', "deletedAt" = now(), "updatedAt" = now() WHERE "id" = \(id)
                """, logger: logger)
            return
        }
        let schema = try SQLIdentifier(summary.databaseSchema)
        // Dropping the schema locks each of its tables in turn: a request still working in them can deadlock with it,
        // and PostgreSQL then rolls one back. The deletion is tried again (``RetryPolicy``).
        try await RetryPolicy.run(onlyReads: false, refreshSnapshot: {}) {
            do {
                try await database.withTransaction(logger: logger) { connection in
                    try await connection.query("DROP SCHEMA IF EXISTS \(schema) CASCADE", logger: logger)
                    try await connection.query(#"DELETE FROM core."upgradeMigration" WHERE "workspaceId" = \#(id)"#, logger: logger)
                    try await connection.query(#"DELETE FROM core."workspace" WHERE "id" = \#(id)"#, logger: logger)
                }
            } catch {
                guard case .concurrencyConflict? = DatabaseFailure(error) else { throw error }
                throw AtriumError(.conflict, "The workspace's deletion met a concurrent transaction; retry", retryReason: .concurrencyConflict,
                                  underlying: error)
            }
        }
    }

    /// Tells every instance that `id`'s lifecycle changed; a failure is logged (instances then notice within their
    /// cache TTL) and does not undo the committed change.
    private func announce(_ id: UUID, logger: Logger) async {
        guard let announcements else { return }
        do {
            try await announcements.publish(id.lowercased, to: CacheKey.workspaceStatusChanges)
        } catch {
            logger.warning("workspace status change not announced; other instances apply it within their cache TTL",
                           metadata: ["workspace": "\(id.lowercased)", "error": "\(error)"])
        }
    }

    private func setStatus(_ id: UUID, to status: String, allowedFrom: [String], logger: Logger) async throws {
        let rows = try await database.write("""
            UPDATE core."workspace" SET "activationStatus" = \(status)::core."workspace_activationStatus_enum", "updatedAt" = now()
            WHERE "id" = \(id) AND "deletedAt" IS NULL AND "activationStatus"::text = ANY(\(allowedFrom))
            RETURNING "id"
            """, logger: logger)
        var updated = false
        for try await _ in rows.decode(UUID.self) { updated = true }
        guard updated else {
            throw AtriumError(.notFound, "Workspace \(id.lowercased) does not exist, is deleted, or cannot become \(status)")
        }
    }
}
