import Foundation
import Logging

// MARK: - A user's workspaces (the console's workspace switcher)

extension UserAccounts {
    /// The live workspaces `userID` is a member of, in the order sign-in picks the first of.
    public func workspaces(ofUser userID: UUID, logger: Logger) async throws -> [WorkspaceRecord] {
        try await users.workspaces(ofUser: userID, logger: logger)
    }

    /// New access and refresh tokens for `userID` in `workspaceID` (Twenty's switching of workspace), for a user who
    /// has already proved who they are in another of their workspaces.
    /// - Throws: ``AtriumError`` `forbidden` when the user is not a member of that workspace or it does not exist.
    public func tokens(switchingUser userID: UUID, to workspaceID: UUID, logger: Logger) async throws -> IssuedTokenPair {
        guard let workspace = try await users.workspace(id: workspaceID, logger: logger),
              let membership = try await users.membership(userID: userID, workspace: workspace, logger: logger)
        else { throw AtriumError(.forbidden, "User does not have access to this workspace") }
        return try await issuePair(membership, logger: logger)
    }
}
