import Foundation
import Logging
import PostgresNIO

// MARK: - Sign-up and joining

extension UserAccounts {
    /// Signs a user up (Twenty's `signUp` / `signUpInWorkspace`).
    ///
    /// With an invitation token, the user joins the invitation's workspace (the invitation must be for their email);
    /// without one, a new workspace is created with the user as its first member. An email that already has an account
    /// must come with that account's password: the sign-up then only adds the membership.
    /// - Throws: ``AtriumError`` `validation_failed` for a malformed email or a password shorter than 8 characters,
    ///   `unauthenticated` for a wrong password of an existing account, `forbidden` for an invitation that is unknown,
    ///   expired or for another email, `conflict` when the user is already a member.
    public func signUp(_ request: SignUpRequest, logger: Logger) async throws -> SignUpResult {
        let email = try WorkspaceProvisioner.validatedEmail(request.email.trimmingCharacters(in: .whitespaces)).lowercased()
        guard request.password.count >= Self.minimumPasswordLength else {
            throw AtriumError(.validationFailed, "Password must be at least \(Self.minimumPasswordLength) characters long")
        }
        var existing = try await users.user(email: email, logger: logger)
        if existing != nil { existing = try await verifiedUser(email: email, password: request.password, logger: logger) }

        if let token = request.invitationToken {
            guard let invitation = try await appTokens.invitation(token: token, logger: logger) else {
                throw AtriumError(.forbidden, "This invitation is invalid or has expired")
            }
            guard ConstantTime.equals(invitation.email.lowercased(), email) else {
                throw AtriumError(.forbidden, "This invitation was sent to another email address")
            }
            let workspace = try await workspace(id: invitation.workspaceID, logger: logger)
            let account = AdminAccount(email: email, passwordHash: existing == nil ? try await PasswordHashing.hash(request.password) : nil,
                                       firstName: request.firstName, lastName: request.lastName)
            let membership = try await join(account: account, invitation: invitation, workspace: workspace, logger: logger)
            let user = try await user(id: membership.userID, logger: logger)
            return SignUpResult(user: user, workspace: workspace, membership: membership,
                                loginToken: try await signLoginToken(email: email, workspaceID: workspace.id))
        }

        guard let provisioner else { throw AtriumError(.forbidden, "Signing up without an invitation is not enabled") }
        let name = request.workspaceDisplayName?.trimmingCharacters(in: .whitespaces)
        let created = try await provisioner.create(WorkspaceCreation(
            displayName: name?.isEmpty == false ? name! : "\(email.split(separator: "@")[0])'s workspace",
            admin: WorkspaceCreation.Admin(email: email, password: existing == nil ? request.password : nil,
                                           firstName: request.firstName, lastName: request.lastName)
        ), logger: logger)
        let workspace = try await workspace(id: created.id, logger: logger)
        guard let userID = created.adminUserID,
              let membership = try await users.membership(userID: userID, workspace: workspace, logger: logger)
        else { throw AtriumError(.internalError, "The new workspace has no first member") }
        let user = try await user(id: userID, logger: logger)
        return SignUpResult(user: user, workspace: workspace, membership: membership,
                            loginToken: try await signLoginToken(email: email, workspaceID: workspace.id))
    }

    /// Adds existing `user` to `workspace` through `invitation`.
    func join(user: UserRecord, invitation: Invitation, workspace: WorkspaceRecord, logger: Logger) async throws -> Membership {
        try await join(account: AdminAccount(email: user.email, passwordHash: nil, firstName: user.firstName, lastName: user.lastName),
                       invitation: invitation, workspace: workspace, logger: logger)
    }

    /// In one transaction: consumes the invitation, finds or creates the user, adds the userWorkspace row with the
    /// invitation's role (else the workspace's default role) and the workspaceMember record.
    private func join(account: AdminAccount, invitation: Invitation, workspace: WorkspaceRecord, logger: Logger) async throws -> Membership {
        let schema = try SQLIdentifier(workspace.databaseSchema)
        let appTokens = appTokens
        try await transaction(conflict: "This user is already a member of the workspace", logger: logger) { connection in
            guard try await appTokens.deleteInvitation(id: invitation.id, workspaceID: workspace.id, on: connection, logger: logger) else {
                throw AtriumError(.forbidden, "This invitation is invalid or has expired")
            }
            _ = try await WorkspaceProvisioner.addMember(account, workspace: workspace.id, schema: schema, role: invitation.roleID,
                                                         on: connection, logger: logger)
        }
        guard let user = try await users.user(email: account.email, logger: logger),
              let membership = try await users.membership(userID: user.id, workspace: workspace, logger: logger)
        else { throw AtriumError(.internalError, "The membership just created is missing") }
        return membership
    }
}

extension UserAccounts {
    /// Runs `body` in a transaction; an ``AtriumError`` it throws comes out as is, a unique violation as `conflict`.
    func transaction<Result: Sendable>(
        conflict: String, logger: Logger, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await database.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let atrium = error.closureError as? AtriumError { throw atrium }
            if case .uniqueViolation = DatabaseFailure(error) { throw AtriumError(.conflict, conflict, underlying: error) }
            throw error
        }
    }
}

/// Comparison of secrets whose duration does not depend on where they differ.
public enum ConstantTime {
    /// Whether `a` and `b` are equal, looking at every byte of the longer one.
    public static func equals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        var difference: UInt8 = left.count == right.count ? 0 : 1
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
