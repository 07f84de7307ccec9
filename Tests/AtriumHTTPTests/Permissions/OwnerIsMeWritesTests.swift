import AtriumCore
@testable import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// A signed-in member whose role sees only the companies they own (`accountOwner = me`) may create and keep only
/// such companies: creating one owned by someone else or by nobody, or giving one away, is refused over REST and
/// GraphQL and changes nothing.
@Suite(.tags(.integration))
struct OwnerIsMeWritesTests {
    @Test func aMemberCreatesAndKeepsOnlyCompaniesTheyOwn() async throws {
        try await UsersTestBed.run { bed, emails in
            let admin = UsersTestBed.email("admin"), member = UsersTestBed.email("owner")
            let workspace = try await bed.signUpWithWorkspace(admin, emails: emails)
            let (adminAccess, _) = try await bed.signIn(admin)
            let role = try await Self.ownerIsMeRole(bed, token: adminAccess)
            let invitation = try await InvitationTests.invite(member, workspace: workspace, role: role, bed: bed)
            _ = try await bed.signUp(member, invitation: invitation.token, emails: emails)
            let (memberAccess, _) = try await bed.signIn(member)
            let me = try #require(try await bed.workspaceMemberID(token: memberAccess))
            let adminMember = try #require(try await bed.workspaceMemberID(token: adminAccess))

            func create(_ body: JSONValue) async throws -> HTTPResponse.Status {
                try await bed.send(.post, "/rest/companies", token: memberAccess, body: body).0
            }
            #expect(try await create(["name": "Theirs", "accountOwnerId": .string(adminMember)]) == .forbidden)
            #expect(try await create(["name": "Nobody's"]) == .forbidden)
            #expect(try await create(["name": "Mine", "accountOwnerId": .string(me)]) == .created)
            let (batch, _) = try await bed.send(.post, "/rest/batch/companies", token: memberAccess, body: [
                ["name": "Mine too", "accountOwnerId": .string(me)], ["name": "Theirs too", "accountOwnerId": .string(adminMember)],
            ])
            #expect(batch == .forbidden)
            let (_, listed) = try await bed.send(.get, "/rest/companies", token: memberAccess)
            let mine = try #require(listed["data"]?["companies"]?[0]?["id"]?.string, "\(listed)")
            let (moved, _) = try await bed.send(.patch, "/rest/companies/\(mine)", token: memberAccess, body: ["accountOwnerId": .string(adminMember)])
            #expect(moved == .forbidden)
            let (movedMany, _) = try await bed.send(.patch, "/rest/companies?filter=name[like]:\"%\"", token: memberAccess, body: ["accountOwnerId": .null])
            #expect(movedMany == .forbidden)

            let graphQL = try await bed.send(.post, "/graphql", token: memberAccess, body: [
                "query": .string(#"mutation { createCompany(data: {name: "Theirs", accountOwnerId: "\#(adminMember)"}) { id } }"#),
            ]).1
            #expect(UsersTestBed.code(graphQL) == "FORBIDDEN", "\(graphQL)")
            let update = try await bed.send(.post, "/graphql", token: memberAccess, body: [
                "query": .string(#"mutation { updateCompany(id: "\#(mine)", data: {accountOwnerId: "\#(adminMember)"}) { id } }"#),
            ]).1
            #expect(UsersTestBed.code(update) == "FORBIDDEN", "\(update)")

            // Admin sees exactly the one company the member made, still theirs.
            let (_, all) = try await bed.send(.get, "/rest/companies", token: adminAccess)
            let companies = all["data"]?["companies"]?.array ?? []
            #expect(companies.compactMap { $0["name"]?.string } == ["Mine"], "\(all)")
            #expect(companies.first?["accountOwnerId"]?.string == me)
        }
    }

    /// Creates, as Admin over the metadata API, a role that reads and updates the companies whose owner is "me".
    static func ownerIsMeRole(_ bed: UsersTestBed, token: String) async throws -> UUID {
        let (_, created) = try await bed.metadata("""
            mutation { createOneRole(createRoleInput: {label: "Owner", canReadAllObjectRecords: true, canUpdateAllObjectRecords: true}) { id } }
            """, token: token)
        let role = try #require(created["data"]?["createOneRole"]?["id"]?.string.flatMap(UUID.init(uuidString:)), "\(created)")
        let (_, objects) = try await bed.metadata("{ objects(paging: {first: 100}) { edges { node { id nameSingular fieldsList { id name } } } } }", token: token)
        let nodes = (objects["data"]?["objects"]?["edges"]?.array ?? []).compactMap { $0["node"] }
        func field(_ object: String, _ name: String) throws -> String {
            let node = try #require(nodes.first { $0["nameSingular"]?.string == object })
            return try #require(node["fieldsList"]?.array?.first { $0["name"]?.string == name }?["id"]?.string)
        }
        let company = try #require(nodes.first { $0["nameSingular"]?.string == "company" }?["id"]?.string)
        let (_, predicates) = try await bed.metadata("""
            mutation { upsertRowLevelPermissionPredicates(input: {roleId: "\(role.uuidString.lowercased())", objectMetadataId: "\(company)",
              predicates: [{fieldMetadataId: "\(try field("company", "accountOwner"))", operand: "IS",
                            workspaceMemberFieldMetadataId: "\(try field("workspaceMember", "id"))"}], predicateGroups: []}) { predicates { id } } }
            """, token: token)
        #expect(predicates["data"]?["upsertRowLevelPermissionPredicates"]?["predicates"]?.array?.count == 1, "\(predicates)")
        return role
    }
}
