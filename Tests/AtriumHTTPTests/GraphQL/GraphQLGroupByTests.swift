import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// `<plural>GroupBy`: groups, their aggregates and their records, checked against SQL computed here.
@Suite(.tags(.integration)) struct GraphQLGroupByTests {
    /// JSON computed by SQL in the workspace.
    static func json(_ ws: GraphQLTestWorkspace, _ sql: String) async throws -> JSONValue {
        let text = try #require(try await ws.sql(sql))
        return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test func groupsWithAggregatesOrderedByAnAggregateMatchSQL() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            _ = try await GraphQLQueryTests.seed(ws)
            let data = try await ws.data("""
                { opportunitiesGroupBy(groupBy: [{stage: true}], orderBy: [{aggregate: {totalCount: DescNullsLast}}, {stage: AscNullsFirst}]) {
                    groupByDimensionValues totalCount sumAmountAmountMicros
                    edges { node { name } }
                } }
                """)
            let groups = try #require(data["opportunitiesGroupBy"]?.array)
            let expected = try await Self.json(ws, """
                SELECT json_agg(json_build_object('groupByDimensionValues', json_build_array(stage::text), 'totalCount', n,
                  'sumAmountAmountMicros', s, 'names', names) ORDER BY n DESC, stage) ::text FROM (
                  SELECT stage, count(*) AS n, sum("amountAmountMicros")::float8 AS s, json_agg(name ORDER BY position, id) AS names
                  FROM {s}.opportunity WHERE "deletedAt" IS NULL GROUP BY stage) g
                """)
            #expect(groups.count == expected.array?.count && groups.count == 2)
            for (group, want) in zip(groups, expected.array ?? []) {
                #expect(group["groupByDimensionValues"] == want["groupByDimensionValues"])
                #expect(group["totalCount"]?.number == want["totalCount"]?.number)
                #expect(group["sumAmountAmountMicros"]?.number == want["sumAmountAmountMicros"]?.number)
                #expect(Set((group["edges"]?.array ?? []).compactMap { $0["node"]?["name"]?.string })
                    == Set((want["names"]?.array ?? []).compactMap(\.string)))
            }
            #expect(groups[0]["groupByDimensionValues"] == ["NEW"])
        }
    }

    @Test func filterCompositeAndDateDimensionsLimitAndRecordOrder() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            _ = try await GraphQLQueryTests.seed(ws)
            let data = try await ws.data("""
                { byProfile: companiesGroupBy(groupBy: [{idealCustomerProfile: true}], filter: {employees: {gte: 20}},
                    orderByForRecords: [{employees: DescNullsLast}]) {
                    groupByDimensionValues totalCount avgEmployees maxEmployees edges { node { name employees } }
                  }
                  byCityAndYear: companiesGroupBy(groupBy: [{address: {addressCity: true}}, {createdAt: {granularity: YEAR}}], limit: 1,
                    orderBy: [{aggregate: {sumEmployees: DescNullsLast}}]) { groupByDimensionValues sumEmployees }
                }
                """)
            let groups = try #require(data["byProfile"]?.array)
            let expected = try await Self.json(ws, """
                SELECT json_agg(json_build_array("idealCustomerProfile"::text, n, a, m) ORDER BY "idealCustomerProfile" NULLS FIRST)::text
                FROM (SELECT "idealCustomerProfile", count(*) AS n, avg(employees)::float8 AS a, max(employees)::float8 AS m
                      FROM {s}.company WHERE "deletedAt" IS NULL AND employees >= 20 GROUP BY 1) g
                """)
            #expect(groups.count == expected.array?.count)
            for (group, want) in zip(groups, expected.array ?? []) {
                #expect(group["groupByDimensionValues"]?[0] == want[0])
                #expect(group["totalCount"]?.number == want[1]?.number)
                #expect(group["avgEmployees"]?.number == want[2]?.number)
                #expect(group["maxEmployees"]?.number == want[3]?.number)
                let employees = (group["edges"]?.array ?? []).compactMap { $0["node"]?["employees"]?.number }
                #expect(employees == employees.sorted(by: >) && employees.allSatisfy { $0 >= 20 })
            }
            let top = try #require(data["byCityAndYear"]?.array)
            let year = try await ws.sql("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY')")
            let cityTotal = try await ws.sql("""
                SELECT json_build_array("addressAddressCity", sum(employees)::float8)::text FROM {s}.company
                WHERE "deletedAt" IS NULL GROUP BY "addressAddressCity" ORDER BY sum(employees) DESC NULLS LAST LIMIT 1
                """)
            let want = try JSONDecoder().decode(JSONValue.self, from: Data((cityTotal ?? "null").utf8))
            #expect(top.count == 1)
            #expect(top.first?["groupByDimensionValues"]?[0] == want[0] && top.first?["groupByDimensionValues"]?[1]?.string == year)
            #expect(top.first?["sumEmployees"]?.number == want[1]?.number)
        }
    }

    @Test func badGroupByArgumentsAreRefusedAsUserInput() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let empty = try await ws.graphQL("{ companiesGroupBy(groupBy: []) { totalCount } }")
            #expect(GraphQLTestWorkspace.code(empty) == "BAD_USER_INPUT")
            let view = try await ws.graphQL("{ companiesGroupBy(groupBy: [{name: true}], viewId: \"not-a-uuid\") { totalCount } }")
            #expect(GraphQLTestWorkspace.code(view) == "GRAPHQL_VALIDATION_FAILED")
            let unknownView = try await ws.graphQL("{ companiesGroupBy(groupBy: [{name: true}], viewId: \"\(UUID())\") { totalCount } }")
            #expect(GraphQLTestWorkspace.code(unknownView) == "NOT_FOUND", "\(unknownView.body)")
            let order = try await ws.graphQL("{ companiesGroupBy(groupBy: [{name: true}], orderBy: [{employees: AscNullsFirst}]) { totalCount } }")
            #expect(GraphQLTestWorkspace.code(order) == "BAD_USER_INPUT")
            let unknown = try await ws.graphQL("{ companiesGroupBy(groupBy: [{nope: true}]) { totalCount } }")
            #expect(GraphQLTestWorkspace.code(unknown) == "GRAPHQL_VALIDATION_FAILED")
            let outside = try await ws.graphQL("{ companies { groupByDimensionValues } }")
            #expect(GraphQLTestWorkspace.code(outside) == "GRAPHQL_VALIDATION_FAILED")
        }
    }
}
