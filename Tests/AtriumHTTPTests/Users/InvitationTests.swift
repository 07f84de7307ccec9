import AtriumCore
@testable import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite(.tags(.integration)) struct InvitationTests {
    /// An invitation made the way the CLI makes it, for `email` to the workspace of `adminAccess`.
    static func invite(_ email: String, workspace: UUID, role: UUID? = nil, bed: UsersTestBed) async throws -> UserAccounts.CreatedInvitation {
        let accounts = UserAccounts(database: bed.database, secrets: TokenSecrets(appSecret: TestEnvironment.appSecret),
                                    lifetimes: .defaults, provisioner: nil)
        return try await accounts.invite(email: email, workspaceID: workspace, roleID: role, logger: UsersTestBed.logger)
    }

    @Test func anAcceptedInvitationMakesAMemberAndRemovingTheMemberEndsTheirAccess() async throws {
        try await UsersTestBed.run { bed, emails in
            let admin = UsersTestBed.email("admin"), invitee = UsersTestBed.email("invitee")
            let workspace = try await bed.signUpWithWorkspace(admin, emails: emails)
            let (adminAccess, _) = try await bed.signIn(admin)

            let created = try await Self.invite(invitee, workspace: workspace, bed: bed)
            #expect(created.link(serverURL: "https://crm.example.com", workspace: try await bed.accounts.workspace(id: workspace, logger: UsersTestBed.logger))
                .hasPrefix("https://crm.example.com/invite/"))
            let (_, pending) = try await bed.metadata("{ findWorkspaceInvitations { id email expiresAt } }", token: adminAccess)
            #expect(pending["data"]?["findWorkspaceInvitations"]?[0]?["email"]?.string == invitee, "\(pending)")

            // Another email cannot use the invitation; the invitee can, once.
            let stolen = try await bed.signUp(UsersTestBed.email("thief"), invitation: created.token, emails: emails)
            #expect(UsersTestBed.code(stolen) == "FORBIDDEN")
            let joined = try await bed.signUp(invitee, invitation: created.token, emails: emails)
            #expect(joined["data"]?["signUpInWorkspace"]?["workspace"]?["id"]?.string == workspace.uuidString.lowercased(), "\(joined)")
            let again = try await bed.signUp(UsersTestBed.email("late"), invitation: created.token, emails: emails)
            #expect(UsersTestBed.code(again) == "FORBIDDEN")

            let (inviteeAccess, inviteeRefresh) = try await bed.signIn(invitee)
            let (_, members) = try await bed.send(.get, "/rest/workspaceMembers", token: adminAccess)
            let rows = try #require(members["data"]?["workspaceMembers"]?.array, "\(members)")
            #expect(Set(rows.compactMap { $0["userEmail"]?.string }) == [admin, invitee])
            let (_, me) = try await bed.metadata("{ currentUser { workspaceMember { id } } currentWorkspace { id } }", token: inviteeAccess)
            #expect(me["data"]?["currentWorkspace"]?["id"]?.string == workspace.uuidString.lowercased())
            let memberID = try #require(me["data"]?["currentUser"]?["workspaceMember"]?["id"]?.string)

            let (_, removed) = try await bed.metadata("""
                mutation($id: String!) { deleteUserFromWorkspace(workspaceMemberIdToDelete: $id) { id userId workspaceId } }
                """, variables: ["id": .string(memberID)], token: adminAccess)
            #expect(removed["data"]?["deleteUserFromWorkspace"]?["workspaceId"]?.string == workspace.uuidString.lowercased(), "\(removed)")
            #expect(try await bed.send(.get, "/rest/companies", token: inviteeAccess).0 == .unauthorized)
            #expect(UsersTestBed.code(try await bed.renew(inviteeRefresh)) == "UNAUTHENTICATED")
            let (_, after) = try await bed.send(.get, "/rest/workspaceMembers", token: adminAccess)
            #expect(after["data"]?["workspaceMembers"]?.array?.compactMap { $0["userEmail"]?.string } == [admin])
        }
    }

    @Test func anExistingUserInvitedOverGraphQLJoinsBySigningInToTheWorkspace() async throws {
        try await UsersTestBed.run(["SERVER_URL": "https://crm.example.com"]) { bed, emails in
            let admin = UsersTestBed.email("owner"), other = UsersTestBed.email("other")
            let workspace = try await bed.signUpWithWorkspace(admin, emails: emails)
            _ = try await bed.signUp(other, emails: emails)   // has a workspace of their own
            let (adminAccess, _) = try await bed.signIn(admin, origin: "https://crm.example.com")

            let (_, sent) = try await bed.metadata("""
                mutation($e: [String!]!) { sendInvitations(emails: $e) { success errors result { id email expiresAt } } }
                """, variables: ["e": [.string(other), "not-an-email"]], token: adminAccess)
            #expect(sent["data"]?["sendInvitations"]?["success"]?.bool == false, "\(sent)")
            #expect(sent["data"]?["sendInvitations"]?["result"]?[0]?["email"]?.string == other)
            #expect(sent["data"]?["sendInvitations"]?["errors"]?.array?.count == 1)

            // Signing in from the workspace's origin accepts the pending invitation.
            let subdomain = try await bed.accounts.workspace(id: workspace, logger: UsersTestBed.logger).subdomain
            let (access, _) = try await bed.signIn(other, origin: "https://\(subdomain).crm.example.com")
            let (_, current) = try await bed.metadata("{ currentWorkspace { id } }", token: access)
            #expect(current["data"]?["currentWorkspace"]?["id"]?.string == workspace.uuidString.lowercased(), "\(current)")
            let (_, pending) = try await bed.metadata("{ findWorkspaceInvitations { id } }", token: adminAccess)
            #expect(pending["data"]?["findWorkspaceInvitations"]?.array?.isEmpty == true)
        }
    }
}

extension UsersTestBed {
    var accounts: UserAccounts {
        UserAccounts(database: database, secrets: TokenSecrets(appSecret: TestEnvironment.appSecret), lifetimes: .defaults, provisioner: nil)
    }
}
