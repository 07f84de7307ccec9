import Crypto
import Foundation
import Logging
import PostgresNIO

/// The SQL of `core."appToken"`: refresh tokens (type `REFRESH_TOKEN`, the refresh JWT's `jti` is the row id) and
/// invitations (type `INVITATION_TOKEN`, `value` the SHA-256 hex of the token, `context` `{"email": …}`).
struct AppTokenStore: Sendable {
    static let refreshType = "REFRESH_TOKEN"
    static let invitationType = "INVITATION_TOKEN"

    let database: Database

    // MARK: - Refresh tokens

    /// A refresh token row.
    struct RefreshRow: Sendable {
        let id: UUID
        let userID: UUID
        let workspaceID: UUID
        let expiresAt: Date
        let revokedAt: Date?
    }

    /// Records a new refresh token of `userID` in `workspaceID`.
    func insertRefresh(id: UUID, userID: UUID, workspaceID: UUID, expiresAt: Date, logger: Logger) async throws {
        try await database.write("""
            INSERT INTO core."appToken" ("id", "userId", "workspaceId", "type", "expiresAt")
            VALUES (\(id), \(userID), \(workspaceID), \(Self.refreshType), \(expiresAt))
            """, logger: logger)
    }

    /// The live refresh token `id`.
    func refresh(id: UUID, logger: Logger) async throws -> RefreshRow? {
        var row: RefreshRow?
        for try await (id, user, workspace, expires, revoked) in try await database.query("""
            SELECT "id", "userId", "workspaceId", "expiresAt", "revokedAt" FROM core."appToken"
            WHERE "id" = \(id) AND "type" = \(Self.refreshType) AND "deletedAt" IS NULL
            """, logger: logger).decode((UUID, UUID, UUID, Date, Date?).self) {
            row = RefreshRow(id: id, userID: user, workspaceID: workspace, expiresAt: expires, revokedAt: revoked)
        }
        return row
    }

    /// Revokes refresh token `id` if it is not revoked yet; true when this call revoked it (so two concurrent renewals
    /// of one token cannot both rotate it).
    func revokeRefresh(id: UUID, logger: Logger) async throws -> Bool {
        var revoked = false
        for try await _ in try await database.write("""
            UPDATE core."appToken" SET "revokedAt" = now(), "updatedAt" = now()
            WHERE "id" = \(id) AND "type" = \(Self.refreshType) AND "revokedAt" IS NULL RETURNING "id"
            """, logger: logger).decode(UUID.self) {
            revoked = true
        }
        return revoked
    }

    /// Revokes every live refresh token of `userID` (in `workspaceID` only, when given).
    func revokeAllRefresh(userID: UUID, workspaceID: UUID? = nil, logger: Logger) async throws {
        try await database.write("""
            UPDATE core."appToken" SET "revokedAt" = now(), "updatedAt" = now()
            WHERE "userId" = \(userID) AND "type" = \(Self.refreshType) AND "revokedAt" IS NULL
              AND (\(workspaceID)::uuid IS NULL OR "workspaceId" = \(workspaceID))
            """, logger: logger)
    }

    // MARK: - Invitations

    /// SHA-256 hex of an invitation token: what is stored and looked up, so the table never holds a usable token.
    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Records an invitation of `email` to `workspaceID` (with the role to give, when set), replacing a pending one for
    /// the same email.
    func insertInvitation(id: UUID, workspaceID: UUID, email: String, roleID: UUID? = nil, token: String, expiresAt: Date,
                          logger: Logger) async throws {
        let role = roleID.map { ", \"roleId\": \(Self.jsonString($0.lowercased))" } ?? ""
        let context = "{\"email\": \(Self.jsonString(email))\(role)}"
        try await database.withTransaction(logger: logger) { connection in
            try await connection.query("""
                UPDATE core."appToken" SET "deletedAt" = now(), "updatedAt" = now()
                WHERE "workspaceId" = \(workspaceID) AND "type" = \(Self.invitationType) AND "deletedAt" IS NULL
                  AND lower("context"->>'email') = lower(\(email))
                """, logger: logger)
            try await connection.query("""
                INSERT INTO core."appToken" ("id", "workspaceId", "type", "value", "expiresAt", "context")
                VALUES (\(id), \(workspaceID), \(Self.invitationType), \(Self.digest(token)), \(expiresAt), \(context)::jsonb)
                """, logger: logger)
        }
    }

    /// The live, unexpired invitations of `workspaceID`, oldest first.
    func invitations(workspaceID: UUID, logger: Logger) async throws -> [Invitation] {
        var invitations: [Invitation] = []
        for try await (id, workspace, email, expires, role) in try await database.query("""
            SELECT "id", "workspaceId", "context"->>'email', "expiresAt", ("context"->>'roleId')::uuid FROM core."appToken"
            WHERE "workspaceId" = \(workspaceID) AND "type" = \(Self.invitationType) AND "deletedAt" IS NULL AND "expiresAt" > now()
            ORDER BY "createdAt", "id"
            """, logger: logger).decode((UUID, UUID, String, Date, UUID?).self) {
            invitations.append(Invitation(id: id, workspaceID: workspace, email: email, expiresAt: expires, roleID: role))
        }
        return invitations
    }

    /// The live, unexpired invitation whose token is `token`.
    func invitation(token: String, logger: Logger) async throws -> Invitation? {
        var found: Invitation?
        for try await (id, workspace, email, expires, role) in try await database.query("""
            SELECT "id", "workspaceId", "context"->>'email', "expiresAt", ("context"->>'roleId')::uuid FROM core."appToken"
            WHERE "value" = \(Self.digest(token)) AND "type" = \(Self.invitationType) AND "deletedAt" IS NULL AND "expiresAt" > now()
            """, logger: logger).decode((UUID, UUID, String, Date, UUID?).self) {
            found = Invitation(id: id, workspaceID: workspace, email: email, expiresAt: expires, roleID: role)
        }
        return found
    }

    /// The live invitation of `email` to `workspaceID`, if any.
    func invitation(email: String, workspaceID: UUID, logger: Logger) async throws -> Invitation? {
        try await invitations(workspaceID: workspaceID, logger: logger).first { $0.email.lowercased() == email.lowercased() }
    }

    /// Marks invitation `id` of `workspaceID` used or withdrawn; false when there was none.
    @discardableResult
    func deleteInvitation(id: UUID, workspaceID: UUID, on connection: PostgresConnection? = nil, logger: Logger) async throws -> Bool {
        let query: PostgresQuery = """
            UPDATE core."appToken" SET "deletedAt" = now(), "updatedAt" = now()
            WHERE "id" = \(id) AND "workspaceId" = \(workspaceID) AND "type" = \(Self.invitationType) AND "deletedAt" IS NULL
            RETURNING "id"
            """
        var deleted = false
        if let connection {
            for try await _ in try await connection.query(query, logger: logger).decode(UUID.self) { deleted = true }
        } else {
            for try await _ in try await database.write(query, logger: logger).decode(UUID.self) { deleted = true }
        }
        return deleted
    }

    private static func jsonString(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// A pending workspace invitation (Twenty's `WorkspaceInvitation`: id, email, expiresAt).
public struct Invitation: Sendable, Hashable {
    public let id: UUID
    public let workspaceID: UUID
    public let email: String
    public let expiresAt: Date
    /// The role the invitee gets on joining (`context.roleId`); the workspace's default role when nil.
    public var roleID: UUID? = nil
}
