import AtriumCore
@testable import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Roles of signed-in members: the creator is Admin, an invited member gets the workspace's default role, an admin
/// changes a member's role (not their own), and row-level predicates compare with the current member ("me").
@Suite(.tags(.integration))
struct MemberRolesTests {
    @Test func membersGetRolesAndOwnerEqualsMeLimitsTheirRecords() async throws {
        try await UsersTestBed.run { bed, emails in
            let admin = UsersTestBed.email("admin"), member = UsersTestBed.email("member")
            let workspace = try await bed.signUpWithWorkspace(admin, emails: emails)
            let invitation = try await InvitationTests.invite(member, workspace: workspace, bed: bed)
            _ = try await bed.signUp(member, invitation: invitation.token, emails: emails)
            let (adminAccess, _) = try await bed.signIn(admin)
            let (memberAccess, _) = try await bed.signIn(member)
            let memberID = try #require(try await bed.workspaceMemberID(token: memberAccess))
            let adminMemberID = try #require(try await bed.workspaceMemberID(token: adminAccess))

            // The creator is Admin, the invitee has the default role (Member).
            let (_, roles) = try await bed.metadata("{ getRoles { id label workspaceMembers { id userEmail } } }", token: adminAccess)
            let list = roles["data"]?["getRoles"]?.array ?? []
            let byLabel = Dictionary(uniqueKeysWithValues: list.compactMap { role in role["label"]?.string.map { ($0, role) } })
            #expect(byLabel["Admin"]?["workspaceMembers"]?.array?.compactMap { $0["userEmail"]?.string } == [admin], "\(roles)")
            #expect(byLabel["Member"]?["workspaceMembers"]?.array?.compactMap { $0["userEmail"]?.string } == [member], "\(roles)")
            // Members may not manage roles; an admin may not change their own role.
            #expect(UsersTestBed.code(try await bed.metadata("{ getRoles { id } }", token: memberAccess).1) == "FORBIDDEN")
            let memberRole = try #require(byLabel["Member"]?["id"]?.string)
            let own = try await bed.metadata(#"mutation { updateWorkspaceMemberRole(workspaceMemberId: "\#(adminMemberID)", roleId: "\#(memberRole)") { id } }"#,
                                             token: adminAccess)
            #expect(UsersTestBed.code(own.1) == "FORBIDDEN")

            // A role that sees only the companies the member owns.
            let (_, created) = try await bed.metadata("""
                mutation { createOneRole(createRoleInput: {label: "Account owner", canReadAllObjectRecords: true, canUpdateAllObjectRecords: true}) { id } }
                """, token: adminAccess)
            let role = try #require(created["data"]?["createOneRole"]?["id"]?.string, "\(created)")
            let (_, objects) = try await bed.metadata("{ objects(paging: {first: 100}) { edges { node { id nameSingular fieldsList { id name } } } } }", token: adminAccess)
            let nodes = (objects["data"]?["objects"]?["edges"]?.array ?? []).compactMap { $0["node"] }
            let company = try #require(nodes.first { $0["nameSingular"]?.string == "company" })
            let workspaceMemberObject = try #require(nodes.first { $0["nameSingular"]?.string == "workspaceMember" })
            let owner = try #require(company["fieldsList"]?.array?.first { $0["name"]?.string == "accountOwner" }?["id"]?.string)
            let memberIDField = try #require(workspaceMemberObject["fieldsList"]?.array?.first { $0["name"]?.string == "id" }?["id"]?.string)
            let (_, predicates) = try await bed.metadata("""
                mutation { upsertRowLevelPermissionPredicates(input: {roleId: "\(role)", objectMetadataId: "\(company["id"]?.string ?? "")",
                  predicates: [{fieldMetadataId: "\(owner)", operand: "IS", workspaceMemberFieldMetadataId: "\(memberIDField)"}], predicateGroups: []}) {
                  predicates { id operand } } }
                """, token: adminAccess)
            #expect(predicates["data"]?["upsertRowLevelPermissionPredicates"]?["predicates"]?.array?.count == 1, "\(predicates)")
            let (_, assigned) = try await bed.metadata(#"mutation { updateWorkspaceMemberRole(workspaceMemberId: "\#(memberID)", roleId: "\#(role)") { id userEmail } }"#,
                                                       token: adminAccess)
            #expect(assigned["data"]?["updateWorkspaceMemberRole"]?["userEmail"]?.string == member, "\(assigned)")

            for (name, ownerID) in [("Theirs", memberID), ("Ours", adminMemberID)] {
                let (status, _) = try await bed.send(.post, "/rest/companies", token: adminAccess,
                                                     body: ["name": .string(name), "accountOwnerId": .string(ownerID)])
                #expect(status == .created)
            }
            let (status, visible) = try await bed.send(.get, "/rest/companies", token: memberAccess)
            #expect(status == .ok)
            #expect((visible["data"]?["companies"]?.array ?? []).compactMap { $0["name"]?.string } == ["Theirs"], "\(visible)")
            let (_, graphQL) = try await bed.send(.post, "/graphql", token: memberAccess,
                                                  body: ["query": "{ companies { edges { node { name } } } }"])
            #expect((graphQL["data"]?["companies"]?["edges"]?.array ?? []).compactMap { $0["node"]?["name"]?.string } == ["Theirs"], "\(graphQL)")
            let (_, all) = try await bed.send(.get, "/rest/companies", token: adminAccess)
            #expect(all["totalCount"]?.number == 2)

            // An invitation may name the role to join with; a role of another workspace is refused.
            let third = UsersTestBed.email("third")
            let accounts = UserAccounts(database: bed.database, secrets: TokenSecrets(appSecret: TestEnvironment.appSecret),
                                        lifetimes: .defaults, provisioner: nil)
            await #expect(throws: AtriumError.self) {
                _ = try await accounts.invite(email: third, workspaceID: workspace, roleID: UUID(), logger: UsersTestBed.logger)
            }
            let withRole = try await accounts.invite(email: third, workspaceID: workspace, roleID: UUID(uuidString: role), logger: UsersTestBed.logger)
            _ = try await bed.signUp(third, invitation: withRole.token, emails: emails)
            let (_, after) = try await bed.metadata("{ getRoles { label workspaceMembers { userEmail } } }", token: adminAccess)
            let owners = (after["data"]?["getRoles"]?.array ?? []).first { $0["label"]?.string == "Account owner" }
            #expect(Set(owners?["workspaceMembers"]?.array?.compactMap { $0["userEmail"]?.string } ?? []) == [member, third], "\(after)")
        }
    }
}
