import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Find-many and find-one: filters, ordering, Relay pagination both ways, aliases and fragments, nested relations two
/// levels deep with their own filters, and aggregates checked against SQL computed here.
@Suite(.tags(.integration)) struct GraphQLQueryTests {
    /// Companies A–E (employees 10…50), people and opportunities around them; returns the company ids in order.
    static func seed(_ ws: GraphQLTestWorkspace) async throws -> [String] {
        let companies = try await ws.data("""
            mutation { createCompanies(data: [
              {name: "A", employees: 10, idealCustomerProfile: true, annualRecurringRevenue: {amountMicros: 1000000, currencyCode: "USD"}},
              {name: "B", employees: 20, idealCustomerProfile: false, annualRecurringRevenue: {amountMicros: 3000000, currencyCode: "USD"}},
              {name: "C", employees: 30, idealCustomerProfile: true},
              {name: "D", employees: 40, address: {addressCity: "Paris"}},
              {name: "", employees: 50}]) { id name } }
            """)["createCompanies"]?.array ?? []
        let ids = companies.compactMap { $0["id"]?.string }
        let people = try await ws.data("""
            mutation { createPeople(data: [
              {name: {firstName: "Ada", lastName: "Lovelace"}, jobTitle: "CTO", companyId: "\(ids[0])"},
              {name: {firstName: "Alan", lastName: "Turing"}, jobTitle: "Engineer", companyId: "\(ids[0])"},
              {name: {firstName: "Grace", lastName: "Hopper"}, jobTitle: "CTO", companyId: "\(ids[1])"}]) { id } }
            """)["createPeople"]?.array?.compactMap { $0["id"]?.string } ?? []
        _ = try await ws.data("""
            mutation { createOpportunities(data: [
              {name: "Big deal", stage: PROPOSAL, pointOfContactId: "\(people[0])", companyId: "\(ids[0])", amount: {amountMicros: 9000000, currencyCode: "USD"}},
              {name: "Small deal", stage: NEW, pointOfContactId: "\(people[0])", companyId: "\(ids[0])"},
              {name: "Other deal", stage: NEW, pointOfContactId: "\(people[2])", companyId: "\(ids[1])"}]) { id } }
            """)
        return ids
    }

    static func names(_ connection: JSONValue?) -> [String] {
        (connection?["edges"]?.array ?? []).compactMap { $0["node"]?["name"]?.string }
    }

    @Test func filtersOrderingAliasesAndFragments() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            _ = try await Self.seed(ws)
            let data = try await ws.data("""
                query Q($min: Float) {
                  big: companies(filter: {employees: {gte: $min}}, orderBy: [{employees: DescNullsLast}]) { ...Names }
                  either: companies(filter: {or: [{name: {eq: "A"}}, {employees: {eq: 50}}]}, orderBy: [{name: AscNullsFirst}]) { ...Names }
                  notIn: companies(filter: {and: [{employees: {gt: 10}}, {not: {name: {in: ["B", "C"]}}}]}, orderBy: {name: AscNullsLast}) { ...Names }
                  paris: companies(filter: {address: {addressCity: {ilike: "par%"}}}) { edges { node { name address { city: addressCity } } } }
                  __typename
                }
                fragment Names on CompanyConnection { __typename edges { node { name } } }
                """, variables: ["min": 30])
            #expect(Self.names(data["big"]) == ["", "D", "C"])
            #expect(data["big"]?["__typename"] == "CompanyConnection")
            #expect(Self.names(data["either"]) == ["", "A"])
            #expect(Self.names(data["notIn"]) == ["", "D"])
            #expect(data["paris"]?["edges"]?[0]?["node"]?["address"]?["city"] == "Paris")
            #expect(data["__typename"] == "Query")
        }
    }

    @Test func offsetSkipsRecordsForwardAndBackward() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            _ = try await Self.seed(ws)
            let page = "totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { name } }"
            let data = try await ws.data("""
                { skip: companies(orderBy: [{employees: AscNullsFirst}], first: 2, offset: 1) { \(page) }
                  tail: companies(orderBy: [{employees: AscNullsFirst}], first: 2, offset: 4) { \(page) }
                  back: companies(orderBy: [{employees: AscNullsFirst}], last: 2, offset: 1) { \(page) }
                  past: companies(offset: 10) { \(page) } }
                """)
            #expect(Self.names(data["skip"]) == ["B", "C"] && data["skip"]?["totalCount"] == 5)
            #expect(data["skip"]?["pageInfo"]?["hasNextPage"] == true && data["skip"]?["pageInfo"]?["hasPreviousPage"] == false)
            #expect(Self.names(data["tail"]) == [""] && data["tail"]?["pageInfo"]?["hasNextPage"] == false)
            #expect(Self.names(data["back"]) == ["C", "D"] && data["back"]?["pageInfo"]?["hasNextPage"] == false
                && data["back"]?["pageInfo"]?["hasPreviousPage"] == true)
            #expect(Self.names(data["past"]).isEmpty && data["past"]?["totalCount"] == 5)
            let negative = try await ws.graphQL("{ companies(offset: -1) { totalCount } }")
            #expect(GraphQLTestWorkspace.code(negative) == "BAD_USER_INPUT")
        }
    }

    @Test func relayPaginationBothWays() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let ids = try await Self.seed(ws)
            let page = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { name } }"
            let first = try await ws.data("{ companies(orderBy: [{employees: AscNullsFirst}], first: 2) { \(page) } }")["companies"]
            #expect(Self.names(first) == ["A", "B"])
            #expect(first?["totalCount"] == 5 && first?["pageInfo"]?["hasNextPage"] == true && first?["pageInfo"]?["hasPreviousPage"] == false)
            #expect(first?["edges"]?[0]?["cursor"]?.string == ids[0])
            let end = try #require(first?["pageInfo"]?["endCursor"]?.string)
            let second = try await ws.data("{ companies(orderBy: [{employees: AscNullsFirst}], first: 2, after: \"\(end)\") { \(page) } }")["companies"]
            // As Twenty: paging forward tells of rows ahead only.
            #expect(Self.names(second) == ["C", "D"] && second?["pageInfo"]?["hasPreviousPage"] == false && second?["pageInfo"]?["hasNextPage"] == true)
            let before = try await ws.data("{ companies(orderBy: [{employees: AscNullsFirst}], last: 2, before: \"\(ids[3])\") { \(page) } }")["companies"]
            #expect(Self.names(before) == ["B", "C"])
            #expect(before?["pageInfo"]?["hasPreviousPage"] == true && before?["pageInfo"]?["startCursor"]?.string == ids[1])
            let last = try await ws.data("{ companies(orderBy: [{employees: AscNullsFirst}], last: 2) { \(page) } }")["companies"]
            #expect(Self.names(last) == ["D", ""] && last?["pageInfo"]?["hasPreviousPage"] == true && last?["pageInfo"]?["hasNextPage"] == false)
            // A soft-deleted record keeps its place as a cursor; a destroyed one is refused, not read as the end of the list.
            let afterB = "{ companies(orderBy: [{employees: AscNullsFirst}], first: 2, after: \"\(ids[1])\") { \(page) } }"
            _ = try await ws.data("mutation { deleteCompany(id: \"\(ids[1])\") { id } }")
            #expect(Self.names(try await ws.data(afterB)["companies"]) == ["C", "D"])
            _ = try await ws.data("mutation { destroyCompany(id: \"\(ids[1])\") { id } }")
            let destroyed = try await ws.graphQL(afterB)
            #expect(GraphQLTestWorkspace.code(destroyed) == "BAD_USER_INPUT", "\(destroyed.body)")
            #expect(destroyed.body["errors"]?[0]?["message"]?.string?.hasPrefix("Invalid cursor '\(ids[1])'") == true, "\(destroyed.body)")
            let nested = try await ws.graphQL("{ companies(first: 1) { edges { node { people(after: \"\(ids[1])\") { totalCount edges { node { id } } } } } } }")
            #expect(GraphQLTestWorkspace.code(nested) == "BAD_USER_INPUT", "\(nested.body)")
        }
    }

    @Test func nestedRelationsTwoLevelsDeepWithFilters() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            _ = try await Self.seed(ws)
            let data = try await ws.data("""
                { companies(filter: {name: {in: ["A", "B"]}}, orderBy: [{name: AscNullsFirst}]) { edges { node {
                    name
                    ctos: people(filter: {jobTitle: {eq: "CTO"}}) { totalCount edges { node {
                      name { firstName }
                      company { name }
                      deals: pointOfContactForOpportunities(filter: {stage: {in: ["PROPOSAL"]}}, orderBy: [{name: AscNullsFirst}], first: 5) {
                        totalCount edges { node { name stage company { name } } }
                      }
                    } } }
                    everyone: people(orderBy: [{name: {firstName: DescNullsLast}}], first: 1) { totalCount edges { node { name { firstName } } } pageInfo { hasNextPage } }
                } } } }
                """)
            let a = data["companies"]?["edges"]?[0]?["node"]
            let b = data["companies"]?["edges"]?[1]?["node"]
            #expect(a?["ctos"]?["totalCount"] == 1)
            let ada = a?["ctos"]?["edges"]?[0]?["node"]
            #expect(ada?["name"]?["firstName"] == "Ada" && ada?["company"]?["name"] == "A")
            #expect(ada?["deals"]?["totalCount"] == 1)
            #expect(ada?["deals"]?["edges"]?[0]?["node"]?["name"] == "Big deal" && ada?["deals"]?["edges"]?[0]?["node"]?["stage"] == "PROPOSAL")
            #expect(ada?["deals"]?["edges"]?[0]?["node"]?["company"]?["name"] == "A")
            #expect(a?["everyone"]?["totalCount"] == 2 && a?["everyone"]?["pageInfo"]?["hasNextPage"] == true)
            #expect(a?["everyone"]?["edges"]?[0]?["node"]?["name"]?["firstName"] == "Alan")
            let grace = b?["ctos"]?["edges"]?[0]?["node"]
            #expect(grace?["name"]?["firstName"] == "Grace" && grace?["deals"]?["totalCount"] == 0)
        }
    }

    @Test func oneStatementPerRootFieldWhateverTheNesting() async throws {
        // API key lookups trusted for a minute, so a slow, loaded run cannot add a key read to one query's count.
        try await GraphQLTestWorkspace.run(["API_KEY_CACHE_TTL_MS": "60000"]) { workspaces in
            let ws = workspaces[0]
            _ = try await Self.seed(ws)
            let nested = """
                { companies { totalCount sumEmployees edges { node { name people { edges { node { name { firstName }
                  company { name } pointOfContactForOpportunities { totalCount edges { node { name } } } } } } } } } }
                """
            _ = try await ws.data(nested)  // caches warm (metadata, schema)
            // The fewest operations over a few tries is the query's own (a metadata revalidation may add a read).
            var deltas: [Double] = []
            for query in ["{ __typename }", nested, "{ a: companies { totalCount } b: people { totalCount } }"] {
                var fewest = Double.infinity
                for _ in 0..<3 {
                    let before = ws.databaseOperations()
                    _ = try await ws.data(query)
                    fewest = min(fewest, ws.databaseOperations() - before)
                }
                deltas.append(fewest)
            }
            // `{ __typename }` touches no table; each root field is exactly one statement, whatever it nests.
            #expect(deltas == [0, 1, 2])
        }
    }

    /// A NUMBER field's GraphQL type follows its `settings.dataType` as in Twenty: Int, BigInt, or Float by default.
    @Test func numberFieldsAreTypedByTheirDataType() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let data = try await ws.data("""
                { invoice: __type(name: "Invoice") { fields { name type { name } } }
                  filter: __type(name: "InvoiceFilterInput") { inputFields { name type { name } } }
                  company: __type(name: "Company") { fields { name type { name } } } }
                """)
            func type(_ key: String, _ list: String, _ name: String) -> String? {
                data[key]?[list]?.array?.first { $0["name"]?.string == name }?["type"]?["name"]?.string
            }
            #expect(type("invoice", "fields", "lineCount") == "Int")
            #expect(type("invoice", "fields", "ledgerNumber") == "BigInt")
            #expect(type("company", "fields", "employees") == "Float")
            #expect(type("filter", "inputFields", "lineCount") == "IntFilter")
            #expect(type("filter", "inputFields", "ledgerNumber") == "BigIntFilter")

            let created = try await ws.data("""
                mutation { createInvoice(data: {name: "Counted", lineCount: 3, ledgerNumber: 9007199254740991}) { lineCount ledgerNumber } }
                """)
            #expect(created["createInvoice"]?["lineCount"]?.number == 3)
            #expect(created["createInvoice"]?["ledgerNumber"]?.number == 9_007_199_254_740_991)
            let found = try await ws.data(#"{ invoices(filter: {lineCount: {gte: 2}}) { edges { node { name } } } }"#)
            #expect(found["invoices"]?["edges"]?[0]?["node"]?["name"]?.string == "Counted")
            // An Int field refuses a fraction before any SQL runs.
            let fraction = try await ws.graphQL(#"mutation { createInvoice(data: {name: "Half", lineCount: 2.5}) { id } }"#)
            #expect(fraction.body["errors"] != nil && fraction.body["data"]?["createInvoice"] == nil, "\(fraction.body)")
        }
    }

    @Test func aggregatesMatchSQL() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            _ = try await Self.seed(ws)
            let data = try await ws.data("""
                { companies(filter: {employees: {gte: 10}}) {
                    totalCount sumEmployees avgEmployees minEmployees maxEmployees
                    countEmptyName countNotEmptyName countUniqueValuesName percentageEmptyName
                    countTrueIdealCustomerProfile countFalseIdealCustomerProfile
                    sumAnnualRecurringRevenueAmountMicros avgAnnualRecurringRevenueAmountMicros maxAnnualRecurringRevenueAmountMicros
                    countEmptyAddress minCreatedAt maxCreatedAt
                } }
                """)["companies"]
            func number(_ key: String) -> Double? { data?[key]?.number }
            func sql(_ expression: String) async throws -> Double? {
                try await ws.sql("SELECT (\(expression))::float8::text FROM {s}.company WHERE \"deletedAt\" IS NULL AND employees >= 10")
                    .flatMap(Double.init)
            }
            #expect(number("totalCount") == (try await sql("count(*)")))
            #expect(number("sumEmployees") == (try await sql("sum(employees)")))
            #expect(number("avgEmployees") == (try await sql("avg(employees)")))
            #expect(number("minEmployees") == 10 && number("maxEmployees") == 50)
            #expect(number("countEmptyName") == (try await sql("count(*) FILTER (WHERE name IS NULL OR name = '')")))
            #expect(number("countNotEmptyName") == (try await sql("count(*) FILTER (WHERE name <> '')")))
            #expect(number("countUniqueValuesName") == (try await sql("count(DISTINCT name) FILTER (WHERE name <> '')")))
            #expect(number("percentageEmptyName") == (try await sql("count(*) FILTER (WHERE name = '')::float8 / count(*)")))
            #expect(number("countTrueIdealCustomerProfile") == (try await sql("count(*) FILTER (WHERE \"idealCustomerProfile\")")))
            #expect(number("countFalseIdealCustomerProfile") == (try await sql("count(*) FILTER (WHERE NOT \"idealCustomerProfile\")")))
            #expect(number("sumAnnualRecurringRevenueAmountMicros") == (try await sql("sum(\"annualRecurringRevenueAmountMicros\")")))
            #expect(number("avgAnnualRecurringRevenueAmountMicros") == (try await sql("avg(\"annualRecurringRevenueAmountMicros\")")))
            #expect(number("maxAnnualRecurringRevenueAmountMicros") == 3_000_000)
            #expect(number("countEmptyAddress") == 4)
            let newest = try await ws.sql("SELECT to_char(max(\"createdAt\") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM {s}.company")
            #expect(data?["maxCreatedAt"]?.string == newest)
            #expect(data?["minCreatedAt"]?.string != nil)
        }
    }
}
