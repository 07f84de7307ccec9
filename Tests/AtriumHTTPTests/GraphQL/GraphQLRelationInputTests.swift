import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Create and update inputs setting a many-to-one relation by `<name>Id`, by `connect` (by id or by a unique field)
/// and clearing it by `disconnect`.
@Suite(.tags(.integration)) struct GraphQLRelationInputTests {
    @Test func companyIdConnectAndDisconnect() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let companies = try await ws.data("""
                mutation { createCompanies(data: [{name: "Acme"}, {name: "Initech", domainName: {primaryLinkUrl: "https://initech.example"}}]) { id } }
                """)["createCompanies"]?.array?.compactMap { $0["id"]?.string } ?? []
            let people = try await ws.data("""
                mutation { createPeople(data: [
                  {name: {firstName: "ById"}, companyId: "\(companies[0])"},
                  {name: {firstName: "ByConnect"}, company: {connect: {where: {id: "\(companies[0])"}}}},
                  {name: {firstName: "ByDomain"}, company: {connect: {where: {domainName: {primaryLinkUrl: "https://initech.example"}}}}}
                ]) { id companyId company { name } } }
                """)["createPeople"]?.array ?? []
            #expect(people.map { $0["company"]?["name"]?.string } == ["Acme", "Acme", "Initech"])
            #expect(people.last?["companyId"]?.string == companies[1])
            let linked = try await ws.sql("SELECT count(*)::text FROM {s}.person WHERE \"companyId\" = '\(companies[0])'")
            #expect(linked == "2")

            let id = try #require(people.last?["id"]?.string)
            let moved = try await ws.data("""
                mutation { updatePerson(id: "\(id)", data: {company: {connect: {where: {id: "\(companies[0])"}}}}) { company { name } } }
                """)
            #expect(moved["updatePerson"]?["company"]?["name"] == "Acme")
            let cleared = try await ws.data("mutation { updatePerson(id: \"\(id)\", data: {company: {disconnect: true}}) { companyId company { name } } }")
            #expect(cleared["updatePerson"]?["companyId"] == .null && cleared["updatePerson"]?["company"] == .null)
            #expect(try await ws.sql("SELECT \"companyId\"::text FROM {s}.person WHERE id = '\(id)'") == nil)

            let unknown = try await ws.graphQL("""
                mutation { createPerson(data: {company: {connect: {where: {domainName: {primaryLinkUrl: "https://none.example"}}}}}) { id } }
                """)
            #expect(GraphQLTestWorkspace.code(unknown) == "BAD_USER_INPUT")
            #expect(unknown.body["errors"]?[0]?["message"]?.string?.hasPrefix("Expected 1 record to connect to company, but found 0") == true)
            let both = try await ws.graphQL("""
                mutation { createPerson(data: {companyId: "\(companies[0])", company: {connect: {where: {id: "\(companies[1])"}}}}) { id } }
                """)
            #expect(GraphQLTestWorkspace.code(both) == "BAD_USER_INPUT")
            let missing = try await ws.graphQL("mutation { createPerson(data: {company: {connect: {where: {id: \"\(UUID())\"}}}}) { id } }")
            #expect(GraphQLTestWorkspace.code(missing) == "BAD_USER_INPUT")
            #expect(try await ws.sql("SELECT count(*)::text FROM {s}.person") == "3")
        }
    }
}
