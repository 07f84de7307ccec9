import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Global `search` across objects: prefix matching, accents ignored, ranking, object filters, paging.
@Suite(.tags(.integration)) struct GraphQLSearchTests {
    @Test func findsRecordsAcrossObjects() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            _ = try await ws.data("""
                mutation {
                  a: createCompanies(data: [{name: "Zephyr Labs"}, {name: "Acme"}]) { id }
                  b: createPeople(data: [{name: {firstName: "Zoë", lastName: "Zephyrine"}, avatarUrl: "https://img.test/z.png"},
                                         {name: {firstName: "Bob", lastName: "Stone"}}]) { id }
                  c: createOpportunities(data: [{name: "Zephyr renewal"}]) { id }
                }
                """)
            let query = """
                query($q: String!, $after: String, $only: [String!]) {
                  search(searchInput: $q, limit: 2, after: $after, includedObjectNameSingulars: $only) {
                    edges { cursor node { recordId objectNameSingular objectLabelSingular label imageUrl tsRankCD } }
                    pageInfo { hasNextPage endCursor }
                  }
                }
                """
            let first = try await ws.data(query, variables: ["q": "zeph"])["search"]
            let firstNodes = first?["edges"]?.array?.compactMap { $0["node"] } ?? []
            #expect(firstNodes.count == 2 && first?["pageInfo"]?["hasNextPage"] == true)
            let after = try #require(first?["pageInfo"]?["endCursor"]?.string)
            let second = try await ws.data(query, variables: ["q": "zeph", "after": .string(after)])["search"]
            let secondNodes = second?["edges"]?.array?.compactMap { $0["node"] } ?? []
            #expect(secondNodes.count == 1 && second?["pageInfo"]?["hasNextPage"] == false)
            let objects = Set((firstNodes + secondNodes).compactMap { $0["objectNameSingular"]?.string })
            #expect(objects == ["company", "person", "opportunity"])
            let labels = Set((firstNodes + secondNodes).compactMap { $0["label"]?.string })
            #expect(labels == ["Zephyr Labs", "Zoë Zephyrine", "Zephyr renewal"])

            let person = try await ws.data(query, variables: ["q": "zoe zeph", "only": ["person"]])["search"]?["edges"]?[0]?["node"]
            #expect(person?["label"] == "Zoë Zephyrine" && person?["imageUrl"] == "https://img.test/z.png")
            #expect(person?["objectLabelSingular"]?.string != nil)
            let none = try await ws.data(query, variables: ["q": "zeph", "only": ["task"]])["search"]?["edges"]?.array
            #expect(none?.isEmpty == true)
            let injection = try await ws.data(query, variables: ["q": "'):* | !x & (zeph"])["search"]?["edges"]?.array
            #expect(injection?.isEmpty == true)
        }
    }
}
