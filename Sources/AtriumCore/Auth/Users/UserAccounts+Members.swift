import Crypto
import Foundation
import Logging
import PostgresNIO

// MARK: - Invitations and members

extension UserAccounts {
    /// An invitation just created, with its token (shown once: only its SHA-256 is stored).
    public struct CreatedInvitation: Sendable {
        public let invitation: Invitation
        public let token: String

        /// The link an invitee follows: `<serverURL>/invite/<subdomain>?inviteToken=…&email=…` (Twenty's shape,
        /// the workspace's subdomain standing for its invite hash).
        public func link(serverURL: String, workspace: WorkspaceRecord) -> String {
            var components = URLComponents()
            components.queryItems = [URLQueryItem(name: "inviteToken", value: token), URLQueryItem(name: "email", value: invitation.email)]
            return "\(serverURL)/invite/\(workspace.subdomain)?\(components.percentEncodedQuery ?? "")"
        }
    }

    /// Invites `email` to `workspaceID`, replacing a pending invitation of the same email. The invitee joins with
    /// `roleID`, or the workspace's default role when nil.
    /// - Throws: ``AtriumError`` `validation_failed` for a malformed email, `conflict` when that user is already a
    ///   member, `not_found` for an unknown workspace or a role that is not one of its roles assignable to members.
    public func invite(email: String, workspaceID: UUID, roleID: UUID? = nil, logger: Logger) async throws -> CreatedInvitation {
        let email = try WorkspaceProvisioner.validatedEmail(email.trimmingCharacters(in: .whitespaces)).lowercased()
        let workspace = try await workspace(id: workspaceID, logger: logger)
        if let user = try await users.user(email: email, logger: logger),
           try await users.membership(userID: user.id, workspace: workspace, logger: logger) != nil {
            throw AtriumError(.conflict, "\(email) is already a member of this workspace")
        }
        if let roleID {
            var assignable = false
            for try await _ in try await database.query("""
                SELECT 1 FROM core."role" WHERE "id" = \(roleID) AND "workspaceId" = \(workspaceID) AND "canBeAssignedToUsers"
                """, logger: logger) { assignable = true }
            guard assignable else { throw AtriumError(.notFound, "Role \(roleID.lowercased) not found or not assignable to members") }
        }
        let token = Self.randomToken()
        let id = UUID()
        let expiresAt = Self.window(lifetimes.invitation).1
        try await appTokens.insertInvitation(id: id, workspaceID: workspaceID, email: email, roleID: roleID, token: token, expiresAt: expiresAt,
                                             logger: logger)
        return CreatedInvitation(invitation: Invitation(id: id, workspaceID: workspaceID, email: email, expiresAt: expiresAt, roleID: roleID),
                                 token: token)
    }

    /// The workspace's pending invitations.
    public func invitations(workspaceID: UUID, logger: Logger) async throws -> [Invitation] {
        try await appTokens.invitations(workspaceID: workspaceID, logger: logger)
    }

    /// Withdraws invitation `id` of `workspaceID`.
    /// - Throws: ``AtriumError`` `not_found` when there is no such pending invitation.
    public func deleteInvitation(id: UUID, workspaceID: UUID, logger: Logger) async throws {
        guard try await appTokens.deleteInvitation(id: id, workspaceID: workspaceID, logger: logger) else {
            throw AtriumError(.notFound, "Invitation \(id.lowercased) not found")
        }
    }

    /// Removes member `workspaceMemberID` from `workspaceID` (Twenty's `deleteUserFromWorkspace`): its workspaceMember
    /// record and userWorkspace row go in one transaction, and the user's refresh tokens for the workspace are
    /// revoked, so their access tokens fail at once and cannot be renewed. The user account itself stays.
    /// - Returns: The removed membership.
    /// - Throws: ``AtriumError`` `not_found` when there is no such member with a user.
    @discardableResult
    public func removeMember(workspaceMemberID: UUID, workspaceID: UUID, logger: Logger) async throws -> Membership {
        let workspace = try await workspace(id: workspaceID, logger: logger)
        let schema = try SQLIdentifier(workspace.databaseSchema)
        let table = try SQLIdentifier("workspaceMember")
        let membership: Membership = try await transaction(conflict: "Workspace member conflict", logger: logger) { connection in
            var userID: UUID?
            for try await id in try await connection.query("""
                DELETE FROM \(schema).\(table) WHERE "id" = \(workspaceMemberID) RETURNING "userId"
                """, logger: logger).decode(UUID?.self) {
                userID = id
            }
            guard let userID else { throw AtriumError(.notFound, "Workspace member \(workspaceMemberID.lowercased) not found") }
            var userWorkspaceID: UUID?
            for try await id in try await connection.query("""
                DELETE FROM core."userWorkspace" WHERE "userId" = \(userID) AND "workspaceId" = \(workspaceID) RETURNING "id"
                """, logger: logger).decode(UUID.self) {
                userWorkspaceID = id
            }
            guard let userWorkspaceID else { throw AtriumError(.notFound, "Workspace member \(workspaceMemberID.lowercased) not found") }
            return Membership(userID: userID, workspaceID: workspaceID, userWorkspaceID: userWorkspaceID, workspaceMemberID: workspaceMemberID)
        }
        try await appTokens.revokeAllRefresh(userID: membership.userID, workspaceID: workspaceID, logger: logger)
        return membership
    }

    /// 32 random bytes as lower-case hex.
    static func randomToken() -> String {
        RandomHex.bytes(32)
    }
}
