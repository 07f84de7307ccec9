import Foundation

/// A row of `core."user"` as sign-in needs it. `passwordHash` never leaves AtriumCore's sign-in code.
public struct UserRecord: Sendable, Hashable {
    public let id: UUID
    public let email: String
    let passwordHash: String?
    public let firstName: String
    public let lastName: String
    public let locale: String
    public let isEmailVerified: Bool
    public let disabled: Bool
    public let canImpersonate: Bool
    public let canAccessFullAdminPanel: Bool
    public let createdAt: Date
    public let updatedAt: Date

    /// The display name written in `createdBy`/`updatedBy` actors: first and last name, else the email.
    public var displayName: String {
        let name = [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
        return name.isEmpty ? email : name
    }
}

/// A user's membership of a workspace: the `core."userWorkspace"` row and the workspaceMember record.
public struct Membership: Sendable, Hashable {
    public let userID: UUID
    public let workspaceID: UUID
    public let userWorkspaceID: UUID
    public let workspaceMemberID: UUID

    public init(userID: UUID, workspaceID: UUID, userWorkspaceID: UUID, workspaceMemberID: UUID) {
        self.userID = userID
        self.workspaceID = workspaceID
        self.userWorkspaceID = userWorkspaceID
        self.workspaceMemberID = workspaceMemberID
    }
}

/// A row of `core."workspace"` as the API shows it (Twenty's `Workspace` type, the fields Atrium has).
public struct WorkspaceRecord: Sendable, Hashable {
    public let id: UUID
    public let displayName: String?
    public let logo: String?
    public let subdomain: String
    public let activationStatus: String
    public let inviteHash: String?
    public let allowImpersonation: Bool
    public let isPublicInviteLinkEnabled: Bool
    public let defaultRoleID: UUID?
    public let databaseSchema: String
    public let createdAt: Date
    public let updatedAt: Date
}

/// What a sign-up asks for.
public struct SignUpRequest: Sendable {
    public var email: String
    public var password: String
    /// An invitation token (`workspacePersonalInviteToken`): join its workspace instead of creating one.
    public var invitationToken: String?
    /// The new workspace's name, when one is created.
    public var workspaceDisplayName: String?
    public var firstName: String
    public var lastName: String

    public init(email: String, password: String, invitationToken: String? = nil, workspaceDisplayName: String? = nil,
                firstName: String = "", lastName: String = "") {
        self.email = email
        self.password = password
        self.invitationToken = invitationToken
        self.workspaceDisplayName = workspaceDisplayName
        self.firstName = firstName
        self.lastName = lastName
    }
}

/// The outcome of a sign-up: who, in which workspace, and the login token to exchange for access and refresh tokens.
public struct SignUpResult: Sendable {
    public let user: UserRecord
    public let workspace: WorkspaceRecord
    public let membership: Membership
    public let loginToken: IssuedToken
}
