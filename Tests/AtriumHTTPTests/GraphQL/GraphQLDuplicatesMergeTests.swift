import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// `companyDuplicates` (by ids or by candidate data) and `mergeCompanies` (with and without `dryRun`).
@Suite(.tags(.integration)) struct GraphQLDuplicatesMergeTests {
    /// Companies "Acme" (twice), "Acme" with a domain, and "Other"; returns their ids in that order.
    static func seed(_ ws: GraphQLTestWorkspace) async throws -> [String] {
        let created = try await ws.data("""
            mutation { createCompanies(data: [{name: "Acme"}, {name: "Acme", employees: 10},
              {name: "Initech", domainName: {primaryLinkUrl: "https://initech.example"}}, {name: "Other"}]) { id } }
            """)
        return (created["createCompanies"]?.array ?? []).compactMap { $0["id"]?.string }
    }

    static func ids(_ connection: JSONValue?) -> Set<String> {
        Set((connection?["edges"]?.array ?? []).compactMap { $0["node"]?["id"]?.string })
    }

    @Test func duplicatesByIdsAndByDataOneConnectionPerInput() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let ids = try await Self.seed(ws)
            let data = try await ws.data("""
                { byIds: companyDuplicates(ids: ["\(ids[0])", "\(ids[3])"]) {
                    totalCount pageInfo { hasNextPage } edges { cursor node { id name } } }
                  byData: companyDuplicates(data: [{name: "Acme"}, {name: "Nope", domainName: {primaryLinkUrl: "https://initech.example"}}]) {
                    totalCount edges { node { id } } }
                }
                """)
            let byIds = try #require(data["byIds"]?.array)
            #expect(byIds.count == 2)
            #expect(Self.ids(byIds[0]) == [ids[1]] && byIds[0]["totalCount"] == 1 && byIds[0]["pageInfo"]?["hasNextPage"] == false)
            #expect(byIds[0]["edges"]?[0]?["node"]?["name"] == "Acme")
            #expect(Self.ids(byIds[1]).isEmpty && byIds[1]["totalCount"] == 0)
            let byData = try #require(data["byData"]?.array)
            #expect(Self.ids(byData[0]) == [ids[0], ids[1]] && byData[0]["totalCount"] == 2)
            #expect(Self.ids(byData[1]) == [ids[2]])
            let expected = try await ws.sql("SELECT count(*)::text FROM {s}.company WHERE name = 'Acme' AND \"deletedAt\" IS NULL")
            #expect(byData[0]["totalCount"]?.number == expected.flatMap(Double.init))

            let neither = try await ws.graphQL("{ companyDuplicates { totalCount } }")
            #expect(GraphQLTestWorkspace.code(neither) == "BAD_USER_INPUT")
            let both = try await ws.graphQL("{ companyDuplicates(ids: [\"\(ids[0])\"], data: [{name: \"Acme\"}]) { totalCount } }")
            #expect(GraphQLTestWorkspace.code(both) == "BAD_USER_INPUT")
        }
    }

    @Test func mergeFillsEmptyFieldsMovesRelationsAndSoftDeletesTheOthers() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let ids = try await Self.seed(ws)
            _ = try await ws.data("mutation { createPerson(data: {name: {firstName: \"Ada\"}, companyId: \"\(ids[1])\"}) { id } }")
            let query = """
                mutation M($dry: Boolean) { mergeCompanies(ids: ["\(ids[0])", "\(ids[1])"], conflictPriorityIndex: 0, dryRun: $dry) {
                  id name employees people { totalCount edges { node { name { firstName } } } } } }
                """
            let preview = try await ws.data(query, variables: ["dry": true])["mergeCompanies"]
            #expect(preview?["id"]?.string == ids[0] && preview?["employees"] == 10)
            #expect(try await ws.sql("SELECT count(*)::text FROM {s}.company WHERE \"deletedAt\" IS NULL") == "4")
            #expect(try await ws.sql("SELECT employees::text FROM {s}.company WHERE id = '\(ids[0])'") == nil)

            let merged = try await ws.data(query, variables: ["dry": false])["mergeCompanies"]
            #expect(merged?["id"]?.string == ids[0] && merged?["name"] == "Acme" && merged?["employees"] == 10)
            #expect(merged?["people"]?["totalCount"] == 1 && merged?["people"]?["edges"]?[0]?["node"]?["name"]?["firstName"] == "Ada")
            #expect(try await ws.sql("SELECT employees::text FROM {s}.company WHERE id = '\(ids[0])'") == "10")
            #expect(try await ws.sql("SELECT (\"deletedAt\" IS NOT NULL)::text FROM {s}.company WHERE id = '\(ids[1])'") == "true")
            #expect(try await ws.sql("SELECT \"companyId\"::text FROM {s}.person") == ids[0])

            let badIndex = try await ws.graphQL("mutation { mergeCompanies(ids: [\"\(ids[2])\", \"\(ids[3])\"], conflictPriorityIndex: 2) { id } }")
            #expect(GraphQLTestWorkspace.code(badIndex) == "BAD_USER_INPUT")
            let missing = try await ws.graphQL("mutation { mergeCompanies(ids: [\"\(ids[2])\", \"\(UUID())\"], conflictPriorityIndex: 0) { id } }")
            #expect(GraphQLTestWorkspace.code(missing) == "NOT_FOUND")
            #expect(try await ws.sql("SELECT count(*)::text FROM {s}.company WHERE \"deletedAt\" IS NULL") == "3")
        }
    }
}
