import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Errors in GraphQL's shape with Twenty's codes (never a 500 for bad input, a refused rate-limited request included),
/// depth and size limits, introspection, and tenant isolation.
@Suite(.tags(.integration)) struct GraphQLProtectionTests {
    @Test func badRequestsGetCodedErrorsNeverA500() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let parse = try await ws.graphQL("{ companies { ")
            #expect(parse.status == .badRequest && GraphQLTestWorkspace.code(parse) == "GRAPHQL_PARSE_FAILED")
            #expect(parse.body["errors"]?[0]?["locations"]?[0]?["line"] == 1)
            let unknownField = try await ws.graphQL("{ companies { edges { node { nope } } } }")
            #expect(unknownField.status == .badRequest && GraphQLTestWorkspace.code(unknownField) == "GRAPHQL_VALIDATION_FAILED")
            let unknownComparator = try await ws.graphQL("{ companies(filter: {name: {regexish: \"a\"}}) { totalCount } }")
            #expect(GraphQLTestWorkspace.code(unknownComparator) == "GRAPHQL_VALIDATION_FAILED")
            let badUUID = try await ws.graphQL("{ companies(filter: {id: {eq: \"42\"}}) { totalCount } }")
            #expect(GraphQLTestWorkspace.code(badUUID) == "GRAPHQL_VALIDATION_FAILED")
            let badVariable = try await ws.graphQL("query($id: UUID!) { company(filter: {id: {eq: $id}}) { id } }", variables: ["id": "42"])
            #expect(GraphQLTestWorkspace.code(badVariable) == "BAD_USER_INPUT")
            let badDate = try await ws.graphQL("{ companies(filter: {createdAt: {gt: \"yesterday\"}}) { totalCount } }")
            #expect(badDate.status == .ok && GraphQLTestWorkspace.code(badDate) == "BAD_USER_INPUT")
            #expect(badDate.body["data"]?["companies"] == .null)
            #expect(badDate.body["errors"]?[0]?["message"]?.string?.contains("createdAt") == true)
            let badPattern = try await ws.graphQL(#"{ companies(filter: {name: {like: "x\\"}}) { totalCount } }"#)
            #expect(GraphQLTestWorkspace.code(badPattern) == "BAD_USER_INPUT", "\(badPattern.body)")
            let badCursor = try await ws.graphQL("{ companies(after: \"nope\") { totalCount edges { cursor } } }")
            #expect(GraphQLTestWorkspace.code(badCursor) == "BAD_USER_INPUT")
            let noQuery = try await ws.raw("{\"variables\": {}}", token: ws.token)
            #expect(noQuery.status == .badRequest && GraphQLTestWorkspace.code(noQuery) == "BAD_USER_INPUT")
            let notJSON = try await ws.raw("query { companies }", token: ws.token)
            #expect(notJSON.status == .badRequest && GraphQLTestWorkspace.code(notJSON) == "BAD_USER_INPUT")
            let anonymous = try await ws.raw("{\"query\": \"{ companies { totalCount } }\"}", token: nil)
            #expect(anonymous.status == .unauthorized && GraphQLTestWorkspace.code(anonymous) == "UNAUTHENTICATED")
            let forged = try await ws.graphQL("{ companies { totalCount } }", token: "not.a.token")
            #expect(forged.status == .unauthorized && GraphQLTestWorkspace.code(forged) == "UNAUTHENTICATED")
        }
    }

    /// GraphQLSwift's "did you mean" suggestions crash on an empty enum value and grow with a name's length: enum
    /// variables are checked first, and long names or strings in the text are refused, on both GraphQL endpoints.
    @Test func oddEnumValuesAndLongNamesAreRefusedBeforeGraphQLSwiftSeesThem() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let ordered = "query($o: [CompanyOrderByInput]) { companies(orderBy: $o) { totalCount } }"
            for value: JSONValue in ["", .string(String(repeating: "a", count: 200_000)), 3, ["AscNullsFirst"]] {
                let refused = try await ws.graphQL(ordered, variables: ["o": [["name": value]]])
                #expect(GraphQLTestWorkspace.code(refused) == "BAD_USER_INPUT", "\(refused.body)")
            }
            #expect(try await ws.graphQL(ordered, variables: ["o": [["name": "DescNullsLast"]]]).body["errors"] == nil)
            let nested = try await ws.graphQL("mutation($d: OpportunityCreateInput!) { createOpportunity(data: $d) { id } }",
                                              variables: ["d": ["name": "Deal", "stage": ""]])
            #expect(GraphQLTestWorkspace.code(nested) == "BAD_USER_INPUT" && nested.body["errors"]?[0]?["message"]?.string?.contains("does not exist in") == true, "\(nested.body)")
            let longName = try await ws.graphQL("{ companies { \(String(repeating: "n", count: 2_000)) } }")
            #expect(GraphQLTestWorkspace.code(longName) == "GRAPHQL_VALIDATION_FAILED", "\(longName.body)")
            let longString = try await ws.graphQL("{ companies(filter: {name: {eq: \"\(String(repeating: "s", count: 100_001))\"}}) { totalCount } }")
            #expect(GraphQLTestWorkspace.code(longString) == "GRAPHQL_VALIDATION_FAILED", "\(longString.body)")
            let longQuery = try await ws.graphQL("{ companies(orderBy: [{name: [" + String(repeating: "A, ", count: 100_000) + "]}]) { totalCount } }")
            #expect(GraphQLTestWorkspace.code(longQuery) == "GRAPHQL_VALIDATION_FAILED" && longQuery.body["errors"]?[0]?["message"]?.string?.contains("KB") == true)

            // The metadata endpoint takes anonymous requests for sign-in: the same checks run before anything else.
            func metadata(_ body: JSONValue) async throws -> JSONValue {
                let text = String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
                return try await ws.client.execute(uri: "/metadata", method: .post, headers: [.contentType: "application/json"],
                                                   body: ByteBuffer(string: text)) { response in
                    try JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView))
                }
            }
            let anonymous = try await metadata(["query": "mutation($t: FieldMetadataType) { renewToken(appToken: \"x\") { __typename } }",
                                                "variables": ["t": ""]])
            #expect(anonymous["errors"]?[0]?["extensions"]?["code"] == "BAD_USER_INPUT", "\(anonymous)")
            let nul = try await metadata(["query": "mutation($e: String!) { getLoginTokenFromCredentials(email: $e, password: \"p\", origin: \"x\") { __typename } }",
                                          "variables": ["e": "a\u{0}@b.c"]])
            #expect(nul["errors"]?[0]?["extensions"]?["code"] == "BAD_USER_INPUT", "\(nul)")
            let deep = try await metadata(["query": .string("{" + String(repeating: "a{", count: 500) + String(repeating: "}", count: 501))])
            #expect(deep["errors"]?[0]?["extensions"]?["code"] == "GRAPHQL_VALIDATION_FAILED", "\(deep)")
            #expect(try await ws.graphQL("{ companies { totalCount } }").body["errors"] == nil)  // still serving
        }
    }

    @Test func aRateLimitedRequestGets429InGraphQLShape() async throws {
        // A 10-minute window: no token refills during the test.
        let settings = ["API_RATE_LIMITING_LONG_LIMIT": "2", "API_RATE_LIMITING_LONG_TTL_IN_MS": "600000", "API_RATE_LIMITING_WORKSPACE_LIMIT": "0"]
        try await GraphQLTestWorkspace.run(settings) { workspaces in
            let ws = workspaces[0]
            for _ in 0..<2 { #expect(try await ws.graphQL("{ companies { totalCount } }").status == .ok) }
            let refused = try await ws.graphQL("{ companies { totalCount } }")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.body["statusCode"] == nil && refused.body["data"] == nil)
            #expect(GraphQLTestWorkspace.code(refused) == "BAD_USER_INPUT")
            #expect(refused.body["errors"]?[0]?["extensions"]?["atriumCode"] == "rate_limited")
            #expect(refused.body["errors"]?[0]?["message"] == "Limit reached (2 tokens per 600000 ms)")
        }
    }

    @Test func depthAndSizeLimitsAreEnforced() async throws {
        try await GraphQLTestWorkspace.run(["GRAPHQL_MAX_DEPTH": "6", "GRAPHQL_MAX_NODES": "12"]) { workspaces in
            let ws = workspaces[0]
            let shallow = try await ws.graphQL("{ companies { edges { node { people { totalCount } } } } }")
            #expect(shallow.status == .ok && shallow.body["errors"] == nil)
            let deep = try await ws.graphQL("{ companies { edges { node { people { edges { node { name { firstName } } } } } } } }")
            #expect(deep.status == .badRequest && GraphQLTestWorkspace.code(deep) == "GRAPHQL_VALIDATION_FAILED")
            #expect(deep.body["errors"]?[0]?["message"]?.string?.contains("limit is 6") == true)
            let wide = try await ws.graphQL("{ companies { totalCount a: totalCount b: totalCount c: totalCount d: totalCount e: totalCount f: totalCount "
                + "g: totalCount h: totalCount i: totalCount j: totalCount k: totalCount l: totalCount } }")
            #expect(GraphQLTestWorkspace.code(wide) == "GRAPHQL_VALIDATION_FAILED")
            #expect(wide.body["errors"]?[0]?["message"]?.string?.contains("more than 12 fields") == true)
            // The limits are checked before validation (which costs CPU per field): an oversized document with an unknown
            // field is refused for its size.
            let wideAndWrong = try await ws.graphQL("{ companies { nope a: totalCount b: totalCount c: totalCount d: totalCount e: totalCount "
                + "f: totalCount g: totalCount h: totalCount i: totalCount j: totalCount k: totalCount l: totalCount } }")
            #expect(wideAndWrong.body["errors"]?[0]?["message"]?.string?.contains("more than 12 fields") == true, "\(wideAndWrong.body)")
            let nested = String(repeating: "{not: ", count: 5_000) + "{name: {eq: \"x\"}}" + String(repeating: "}", count: 5_000)
            let hostile = try await ws.graphQL("{ companies(filter: \(nested)) { totalCount } }")
            #expect(hostile.status == .badRequest && GraphQLTestWorkspace.code(hostile) == "GRAPHQL_VALIDATION_FAILED")
            let deepJSON = String(repeating: #"{"not": "#, count: 3_000) + #"{"name": {"eq": "x"}}"# + String(repeating: "}", count: 3_000)
            let hostileVariables = try await ws.raw(#"{"query": "query($f: CompanyFilterInput) { companies(filter: $f) { totalCount } }", "variables": {"f": "#
                + deepJSON + "}}", token: ws.token)
            #expect(hostileVariables.status == .badRequest && GraphQLTestWorkspace.code(hostileVariables) == "BAD_USER_INPUT")
            let introspection = try await ws.graphQL("{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }")
            #expect(introspection.status == .ok && introspection.body["errors"] == nil)
        }
    }

    @Test func aLargeOperationIsAnsweredLikeASmallOne() async throws {
        // More than `largeOperationNodes` (250) fields: validated and run on the low-priority threads, same answer.
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            _ = try await ws.data(#"mutation { createCompany(data: {name: "Acme", employees: 7}) { id } }"#)
            let fields = "totalCount edges { node { id name employees createdAt } }"
            let small = try await ws.data("{ a0: companies { \(fields) } }")
            let large = try await ws.data("{ " + (0..<50).map { "a\($0): companies { \(fields) }" }.joined(separator: " ") + " }")
            #expect(small["a0"]?["totalCount"] == 1 && small["a0"]?["edges"]?[0]?["node"]?["employees"] == 7)
            for index in 0..<50 { #expect(large["a\(index)"] == small["a0"]) }
        }
    }

    @Test func introspectionDescribesTwentysSchema() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let data = try await ws.data("""
                { __schema { queryType { name } mutationType { name } types { name } }
                  company: __type(name: "Company") { fields { name type { name kind } } }
                  connection: __type(name: "CompanyConnection") { fields { name } }
                  query: __type(name: "Query") { fields { name args { name type { name kind ofType { name } } } } } }
                """)
            let types = Set((data["__schema"]?["types"]?.array ?? []).compactMap { $0["name"]?.string })
            for name in ["Company", "CompanyConnection", "CompanyEdge", "CompanyFilterInput", "CompanyOrderByInput", "CompanyCreateInput",
                         "CompanyUpdateInput", "Invoice", "InvoiceConnection", "FullName", "FullNameFilterInput", "Currency", "PageInfo",
                         "UUID", "DateTime", "RawJSONScalar", "StringFilter", "UUIDFilter", "FilterIs", "OrderByDirection", "OpportunityStageEnum"] {
                #expect(types.contains(name), "missing type \(name)")
            }
            let companyFields = Set((data["company"]?["fields"]?.array ?? []).compactMap { $0["name"]?.string })
            #expect(companyFields.isSuperset(of: ["id", "name", "employees", "people", "accountOwner", "accountOwnerId", "annualRecurringRevenue"]))
            #expect(!companyFields.contains("searchVector"))
            let connectionFields = Set((data["connection"]?["fields"]?.array ?? []).compactMap { $0["name"]?.string })
            #expect(connectionFields.isSuperset(of: ["edges", "pageInfo", "totalCount", "sumEmployees", "countEmptyName",
                                                      "avgAnnualRecurringRevenueAmountMicros", "countTrueIdealCustomerProfile", "minCreatedAt"]))
            let roots = Set((data["query"]?["fields"]?.array ?? []).compactMap { $0["name"]?.string })
            #expect(roots.isSuperset(of: ["companies", "company", "people", "person", "invoices", "invoice"]))
        }
    }

    @Test func workspacesAreIsolated() async throws {
        try await GraphQLTestWorkspace.run(count: 2) { workspaces in
            let (a, b) = (workspaces[0], workspaces[1])
            let id = try #require(try await a.data("mutation { createCompany(data: {name: \"Secret\"}) { id } }")["createCompany"]?["id"]?.string)
            #expect(try await b.data("{ companies { totalCount } }")["companies"]?["totalCount"] == 0)
            let read = try await b.graphQL("{ company(filter: {id: {eq: \"\(id)\"}}) { name } }")
            #expect(GraphQLTestWorkspace.code(read) == "NOT_FOUND")
            let write = try await b.graphQL("mutation { updateCompany(id: \"\(id)\", data: {name: \"Stolen\"}) { name } }")
            #expect(GraphQLTestWorkspace.code(write) == "NOT_FOUND")
            let destroy = try await b.graphQL("mutation { destroyCompanies(filter: {id: {eq: \"\(id)\"}}) { id } }")
            #expect(destroy.body["data"]?["destroyCompanies"]?.array?.isEmpty == true)
            #expect(try await a.data("{ company(filter: {id: {eq: \"\(id)\"}}) { name } }")["company"]?["name"] == "Secret")
        }
    }
}
