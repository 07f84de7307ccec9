import AtriumCore
import Foundation

// The JSON the workspace commands print: Core's values with every id in lower case, as Twenty's APIs write ids
// (Foundation's `JSONEncoder` writes a `UUID` upper-case).

extension WorkspaceCLI {
    /// `workspace create --json`.
    struct CreatedOutput: Encodable {
        let id: String
        let displayName: String
        let subdomain: String
        let databaseSchema: String
        let adminUserID: String?
        let adminWorkspaceMemberID: String?

        init(_ created: CreatedWorkspace) {
            id = created.id.lowercased
            displayName = created.displayName
            subdomain = created.subdomain
            databaseSchema = created.databaseSchema
            adminUserID = created.adminUserID?.lowercased
            adminWorkspaceMemberID = created.adminWorkspaceMemberID?.lowercased
        }
    }

    /// One workspace of `workspace list --json`.
    struct ListedOutput: Encodable {
        let id: String
        let displayName: String?
        let subdomain: String
        let databaseSchema: String
        let activationStatus: String
        let createdAt: Date
        let deletedAt: Date?

        init(_ summary: WorkspaceAdministration.Summary) {
            id = summary.id.lowercased
            displayName = summary.displayName
            subdomain = summary.subdomain
            databaseSchema = summary.databaseSchema
            activationStatus = summary.activationStatus
            createdAt = summary.createdAt
            deletedAt = summary.deletedAt
        }
    }

    /// `workspace invite --json`.
    struct InvitationOutput: Encodable {
        let id: String
        let email: String
        let expiresAt: Date
        let token: String
        let link: String
    }
}
