import Foundation
import Logging
import PostgresNIO

/// The SQL of users, memberships and workspaces for sign-in (`core."user"`, `core."userWorkspace"`,
/// `core."workspace"` and each workspace's `workspaceMember` table).
struct UserStore: Sendable {
    let database: Database

    private static let userColumns = """
        "id", "email", "passwordHash", "firstName", "lastName", "locale", "isEmailVerified", "disabled", "canImpersonate",
        "canAccessFullAdminPanel", "createdAt", "updatedAt"
        """

    // MARK: - Users

    /// The live user with `email` (case-insensitive), if any.
    func user(email: String, logger: Logger) async throws -> UserRecord? {
        try await users(Self.statement("SELECT \(Self.userColumns) FROM core.\"user\" WHERE lower(\"email\") = lower(", email,
                                        ") AND \"deletedAt\" IS NULL"), logger: logger).first
    }

    /// The live user `id`, if any.
    func user(id: UUID, logger: Logger) async throws -> UserRecord? {
        try await users(Self.statement("SELECT \(Self.userColumns) FROM core.\"user\" WHERE \"id\" = ", id.uuidString,
                                        "::uuid AND \"deletedAt\" IS NULL"), logger: logger).first
    }

    private func users(_ query: PostgresQuery, logger: Logger) async throws -> [UserRecord] {
        var users: [UserRecord] = []
        let rows = try await database.query(query, logger: logger)
        for try await (id, email, hash, first, last, locale, verified, disabled, impersonate, admin, created, updated) in rows.decode(
            (UUID, String, String?, String, String, String, Bool, Bool, Bool, Bool, Date, Date).self) {
            users.append(UserRecord(id: id, email: email, passwordHash: hash, firstName: first, lastName: last, locale: locale,
                                    isEmailVerified: verified, disabled: disabled, canImpersonate: impersonate,
                                    canAccessFullAdminPanel: admin, createdAt: created, updatedAt: updated))
        }
        return users
    }

    /// `head`, `value` bound as text, then `tail`: the column lists are constants, the value always a parameter.
    private static func statement(_ head: String, _ value: String, _ tail: String) -> PostgresQuery {
        var sql = SQLBuilder()
        sql.append(head)
        sql.bind(value)
        sql.append(tail)
        return sql.query
    }

    // MARK: - Workspaces

    private static let workspaceColumns = """
        "id", "displayName", "logo", "subdomain", "activationStatus"::text, "inviteHash", "allowImpersonation",
        "isPublicInviteLinkEnabled", "defaultRoleId", "databaseSchema", "createdAt", "updatedAt"
        """

    /// The live workspace `id`, if any.
    func workspace(id: UUID, logger: Logger) async throws -> WorkspaceRecord? {
        try await workspaces(Self.statement("SELECT \(Self.workspaceColumns) FROM core.\"workspace\" WHERE \"id\" = ", id.uuidString,
                                             "::uuid AND \"deletedAt\" IS NULL"), logger: logger).first
    }

    /// The live workspace whose subdomain is `subdomain`, if any.
    func workspace(subdomain: String, logger: Logger) async throws -> WorkspaceRecord? {
        try await workspaces(Self.statement("SELECT \(Self.workspaceColumns) FROM core.\"workspace\" WHERE \"subdomain\" = lower(", subdomain,
                                             ") AND \"deletedAt\" IS NULL"), logger: logger).first
    }

    /// The live workspaces `userID` is a member of, the earliest joined first.
    func workspaces(ofUser userID: UUID, logger: Logger) async throws -> [WorkspaceRecord] {
        try await workspaces(Self.statement("""
            SELECT \(Self.workspaceColumns) FROM core."workspace" WHERE "deletedAt" IS NULL AND "id" IN (
                SELECT "workspaceId" FROM core."userWorkspace" WHERE "deletedAt" IS NULL AND "userId" =
            """, userID.uuidString, "::uuid) ORDER BY \"createdAt\", \"id\""), logger: logger)
    }

    private func workspaces(_ query: PostgresQuery, logger: Logger) async throws -> [WorkspaceRecord] {
        var workspaces: [WorkspaceRecord] = []
        let rows = try await database.query(query, logger: logger)
        for try await (id, name, logo, subdomain, status, inviteHash, impersonation, publicInvite, role, schema, created, updated) in rows.decode(
            (UUID, String?, String?, String, String, String?, Bool, Bool, UUID?, String, Date, Date).self) {
            workspaces.append(WorkspaceRecord(id: id, displayName: name, logo: logo, subdomain: subdomain, activationStatus: status,
                                              inviteHash: inviteHash, allowImpersonation: impersonation, isPublicInviteLinkEnabled: publicInvite,
                                              defaultRoleID: role, databaseSchema: schema, createdAt: created, updatedAt: updated))
        }
        return workspaces
    }

    // MARK: - Memberships

    /// `userID`'s membership of `workspace`: the userWorkspace row and the workspaceMember record, if both exist.
    func membership(userID: UUID, workspace: WorkspaceRecord, logger: Logger) async throws -> Membership? {
        var userWorkspaceID: UUID?
        for try await id in try await database.query("""
            SELECT "id" FROM core."userWorkspace" WHERE "userId" = \(userID) AND "workspaceId" = \(workspace.id) AND "deletedAt" IS NULL
            """, logger: logger).decode(UUID.self) {
            userWorkspaceID = id
        }
        guard let userWorkspaceID else { return nil }
        let schema = try SQLIdentifier(workspace.databaseSchema)
        let table = try SQLIdentifier("workspaceMember")
        var memberID: UUID?
        for try await id in try await database.query("""
            SELECT "id" FROM \(schema).\(table) WHERE "userId" = \(userID) AND "deletedAt" IS NULL ORDER BY "createdAt" LIMIT 1
            """, logger: logger).decode(UUID.self) {
            memberID = id
        }
        guard let memberID else { return nil }
        return Membership(userID: userID, workspaceID: workspace.id, userWorkspaceID: userWorkspaceID, workspaceMemberID: memberID)
    }

    /// What an access token's request needs checked: the membership still exists, the user is live and enabled, and
    /// the workspace's status. Nil when the user, the membership or the workspace is gone.
    func accessState(userID: UUID, userWorkspaceID: UUID, workspaceID: UUID, logger: Logger) async throws -> (user: String, disabled: Bool, status: String)? {
        var state: (user: String, disabled: Bool, status: String)?
        for try await (first, last, email, disabled, status) in try await database.query("""
            SELECT u."firstName", u."lastName", u."email", u."disabled", w."activationStatus"::text
            FROM core."userWorkspace" uw
            JOIN core."user" u ON u."id" = uw."userId" AND u."deletedAt" IS NULL
            JOIN core."workspace" w ON w."id" = uw."workspaceId" AND w."deletedAt" IS NULL
            WHERE uw."id" = \(userWorkspaceID) AND uw."userId" = \(userID) AND uw."workspaceId" = \(workspaceID) AND uw."deletedAt" IS NULL
            """, logger: logger).decode((String, String, String, Bool, String).self) {
            let name = [first, last].filter { !$0.isEmpty }.joined(separator: " ")
            state = (name.isEmpty ? email : name, disabled, status)
        }
        return state
    }
}
