import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Every mutation of §5.1 on a standard object and on a custom one: create (one, many, upsert), update (one, many),
/// delete (soft), restore, destroy, each rendering the selection the client asked for.
@Suite(.tags(.integration)) struct GraphQLMutationTests {
    @Test func createUpdateDeleteRestoreDestroyOneCompany() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let created = try await ws.data("""
                mutation { created: createCompany(data: {name: "Acme", employees: 120, idealCustomerProfile: true,
                    domainName: {primaryLinkUrl: "https://acme.test"},
                    annualRecurringRevenue: {amountMicros: 5000000000, currencyCode: "EUR"}}) {
                  id __typename name employees idealCustomerProfile
                  domainName { primaryLinkUrl }
                  revenue: annualRecurringRevenue { amountMicros currencyCode __typename }
                  createdBy { source }
                } }
                """)["created"]
            #expect(created?["__typename"] == "Company")
            #expect(created?["name"] == "Acme" && created?["employees"] == 120 && created?["idealCustomerProfile"] == true)
            #expect(created?["domainName"]?["primaryLinkUrl"] == "https://acme.test")
            #expect(created?["revenue"]?["amountMicros"] == 5_000_000_000 && created?["revenue"]?["__typename"] == "Currency")
            #expect(created?["createdBy"]?["source"] == "API")
            #expect(created?.keys == ["id", "__typename", "name", "employees", "idealCustomerProfile", "domainName", "revenue", "createdBy"])
            let id = try #require(created?["id"]?.string)

            let updated = try await ws.data("mutation($id: UUID!) { updateCompany(id: $id, data: {employees: 150}) { id employees name } }",
                                            variables: ["id": .string(id)])["updateCompany"]
            #expect(updated?["employees"] == 150 && updated?["name"] == "Acme")

            let deleted = try await ws.data("mutation { deleteCompany(id: \"\(id)\") { id name deletedAt } }")["deleteCompany"]
            #expect(deleted?["name"] == "Acme" && deleted?["deletedAt"]?.string != nil)
            #expect(try await ws.data("{ companies { totalCount } }")["companies"]?["totalCount"] == 0)
            let withDeleted = try await ws.data("{ companies(filter: {deletedAt: {is: NOT_NULL}}) { totalCount edges { node { id } } } }")
            #expect(withDeleted["companies"]?["totalCount"] == 1)

            let restored = try await ws.data("mutation { restoreCompany(id: \"\(id)\") { id deletedAt } }")["restoreCompany"]
            #expect(restored?["deletedAt"] == .null)
            let found = try await ws.data("{ company(filter: {id: {eq: \"\(id)\"}}) { name employees } }")["company"]
            #expect(found?["employees"] == 150)

            let destroyed = try await ws.data("mutation { destroyCompany(id: \"\(id)\") { id name } }")["destroyCompany"]
            #expect(destroyed?["name"] == "Acme")
            #expect(try await ws.sql("SELECT count(*)::text FROM {s}.company") == "0")
            let missing = try await ws.graphQL("{ company(filter: {id: {eq: \"\(id)\"}}) { id } }")
            #expect(GraphQLTestWorkspace.code(missing) == "NOT_FOUND")
            #expect(missing.body["data"]?["company"] == .null)
        }
    }

    @Test func manyMutationsUpsertAndFilters() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let id = UUID().uuidString.lowercased()
            let batch = try await ws.data("""
                mutation($data: [CompanyCreateInput!]!) { createCompanies(data: $data) { id name employees } }
                """, variables: ["data": [["id": .string(id), "name": "Batch 1", "employees": 1], ["name": "Batch 2", "employees": 2],
                                          ["name": "Other", "employees": 3]]])
            #expect(batch["createCompanies"]?.array?.count == 3)

            let upserted = try await ws.data("""
                mutation { createCompany(data: {id: "\(id)", name: "Batch 1 renamed"}, upsert: true) { id name employees } }
                """)["createCompany"]
            #expect(upserted?["id"]?.string == id && upserted?["name"] == "Batch 1 renamed" && upserted?["employees"] == 1)
            #expect(try await ws.sql("SELECT count(*)::text FROM {s}.company") == "3")
            let mixed = try await ws.data("""
                mutation { createCompanies(upsert: true, data: [{id: "\(id)", employees: 7}, {name: "New", employees: 8}]) { name employees } }
                """)["createCompanies"]?.array ?? []
            #expect(mixed.map { $0["name"] } == ["Batch 1 renamed", "New"] && mixed.map { $0["employees"] } == [7, 8])
            _ = try await ws.data("mutation { destroyCompanies(filter: {name: {eq: \"New\"}}) { id } }")

            let updated = try await ws.data("""
                mutation { updateCompanies(filter: {name: {startsWith: "Batch"}}, data: {idealCustomerProfile: true}) { name idealCustomerProfile } }
                """)["updateCompanies"]?.array ?? []
            #expect(updated.count == 2 && updated.allSatisfy { $0["idealCustomerProfile"] == true })

            let deleted = try await ws.data("mutation { deleteCompanies(filter: {idealCustomerProfile: {eq: true}}) { id } }")
            #expect(deleted["deleteCompanies"]?.array?.count == 2)
            #expect(try await ws.data("{ companies { totalCount } }")["companies"]?["totalCount"] == 1)
            let restored = try await ws.data("mutation { restoreCompanies(filter: {name: {like: \"Batch%\"}}) { name } }")
            #expect(restored["restoreCompanies"]?.array?.count == 2)
            let destroyed = try await ws.data("mutation { destroyCompanies(filter: {employees: {in: [7, 3]}}) { name } }")
            #expect(destroyed["destroyCompanies"]?.array?.count == 2)
            #expect(try await ws.sql("SELECT string_agg(name, ',') FROM {s}.company") == "Batch 2")
        }
    }

    @Test func customObjectRecords() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let created = try await ws.data("""
                mutation { createInvoices(data: [{name: "INV-1", paid: true, dueOn: "2025-03-01", total: {amountMicros: 1000000, currencyCode: "USD"}},
                                                 {name: "INV-2", paid: false, dueOn: "2025-04-01"}]) { id name paid dueOn total { amountMicros } } }
                """)["createInvoices"]?.array ?? []
            #expect(created.count == 2)
            #expect(created.first?["dueOn"] == "2025-03-01")
            let page = try await ws.data("""
                { invoices(filter: {paid: {eq: false}}) { totalCount edges { node { name } } countTrueDone: countTruePaid maxDueOn } }
                """)["invoices"]
            #expect(page?["totalCount"] == 1 && page?["edges"]?[0]?["node"]?["name"] == "INV-2")
            #expect(page?["countTrueDone"] == 0 && page?["maxDueOn"] == "2025-04-01")
            #expect(try await ws.sql("SELECT count(*)::text FROM {s}._invoice") == "2")
        }
    }

    @Test func writesAreCheckedLikeREST() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let badEmail = try await ws.graphQL("mutation { createPerson(data: {emails: {primaryEmail: \"nope\"}}) { id } }")
            #expect(GraphQLTestWorkspace.code(badEmail) == "BAD_USER_INPUT")
            #expect(badEmail.body["errors"]?[0]?["message"]?.string?.contains("emails.primaryEmail") == true)
            #expect(badEmail.body["errors"]?[0]?["path"]?[0] == "createPerson")
            let badCurrency = try await ws.graphQL("mutation { createCompany(data: {annualRecurringRevenue: {currencyCode: \"euro\"}}) { id } }")
            #expect(GraphQLTestWorkspace.code(badCurrency) == "BAD_USER_INPUT")
            let missingRelation = try await ws.graphQL("mutation { createPerson(data: {companyId: \"\(UUID())\"}) { id } }")
            #expect(GraphQLTestWorkspace.code(missingRelation) == "BAD_USER_INPUT")
            let notFound = try await ws.graphQL("mutation { updateCompany(id: \"\(UUID())\", data: {name: \"x\"}) { id } }")
            #expect(GraphQLTestWorkspace.code(notFound) == "NOT_FOUND")
            let tooMany = try await ws.graphQL("{ companies(first: 201) { totalCount } }")
            #expect(GraphQLTestWorkspace.code(tooMany) == "BAD_USER_INPUT")
            #expect(try await ws.sql("SELECT count(*)::text FROM {s}.person") == "0")
        }
    }
}
