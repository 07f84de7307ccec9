import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// The records REST API's create, read, update, delete and restore routes, end to end on a fresh workspace.
@Suite(.tags(.integration)) struct RecordsCRUDTests {
    @Test func createReadUpdateSoftDeleteRestoreAndDestroyACompany() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let created = try await ws.post("/rest/companies", """
                {"name": "Acme", "employees": 120, "domainName": {"primaryLinkUrl": "https://acme.test"},
                 "annualRecurringRevenue": {"amountMicros": 5000000000, "currencyCode": "EUR"}, "idealCustomerProfile": true,
                 "address": {"addressCity": "Lyon", "addressCountry": "France"}}
                """)
            #expect(created.status == .created)
            let company = try #require(created.body["data"]?["createCompany"])
            let id = try #require(company["id"]?.string)
            #expect(company["name"] == "Acme")
            #expect(company["employees"] == 120)
            #expect(company["domainName"]?["primaryLinkUrl"] == "https://acme.test")
            #expect(company["domainName"]?["primaryLinkLabel"] == "")
            #expect(company["annualRecurringRevenue"]?["amountMicros"] == 5_000_000_000)
            #expect(company["address"]?["addressCity"] == "Lyon")
            #expect(company["createdBy"]?["source"] == "API")
            #expect(company["createdBy"]?["name"]?.string == TestTenants.keyName)
            #expect(company["deletedAt"] == .null)
            let createdAt = try #require(company["createdAt"]?.string)
            #expect(createdAt.hasSuffix("Z") && createdAt.count == 24)
            #expect(company["searchVector"] == nil)

            let found = try await ws.get("/rest/companies/\(id)")
            #expect(found.status == .ok)
            #expect(found.body["data"]?["company"]?["name"] == "Acme")

            let updated = try await ws.patch("/rest/companies/\(id)", #"{"employees": 130, "address": {"addressCity": "Paris"}}"#)
            #expect(updated.status == .ok)
            #expect(updated.body["data"]?["updateCompany"]?["employees"] == 130)
            #expect(updated.body["data"]?["updateCompany"]?["address"]?["addressCity"] == "Paris")
            #expect(updated.body["data"]?["updateCompany"]?["address"]?["addressCountry"] == "France")

            let softDeleted = try await ws.delete("/rest/companies/\(id)?soft_delete=true")
            #expect(softDeleted.status == .ok)
            #expect(softDeleted.body["data"]?["deleteCompany"]?["id"]?.string == id)
            #expect(try await ws.get("/rest/companies/\(id)").status == .notFound)
            let deletedList = try await ws.get("/rest/companies?filter=deletedAt[is]:NOT_NULL")
            #expect(deletedList.body["data"]?["companies"]?.array?.count == 1)

            let restored = try await ws.patch("/rest/companies/\(id)/restore", "")
            #expect(restored.status == .ok)
            #expect(restored.body["data"]?["restoreCompany"]?["deletedAt"] == .null)
            _ = try await ws.delete("/rest/companies/\(id)?soft_delete=true")
            let restoredAgain = try await ws.patch("/rest/restore/companies/\(id)", "")
            #expect(restoredAgain.body["data"]?["restoreCompany"]?["id"]?.string == id)

            let destroyed = try await ws.delete("/rest/companies/\(id)")
            #expect(destroyed.body["data"]?["deleteCompany"]?["id"]?.string == id)
            #expect(try await ws.get("/rest/companies?filter=deletedAt[is]:NOT_NULL").body["data"]?["companies"]?.array?.count == 0)
            #expect(try await ws.delete("/rest/companies/\(id)").status == .notFound)
        }
    }

    @Test func batchCreateUpsertUpdateManyDeleteManyAndRestoreMany() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let batch = try await ws.post("/rest/batch/companies", #"[{"name": "One", "employees": 1}, {"name": "Two"}, {"name": "Three", "employees": 3}]"#)
            #expect(batch.status == .created)
            let companies = try #require(batch.body["data"]?["createCompanies"]?.array)
            #expect(companies.map { $0["name"] } == ["One", "Two", "Three"])
            let firstID = try #require(companies[0]["id"]?.string)

            let upserted = try await ws.post("/rest/companies?upsert=true", #"{"id": "\#(firstID)", "name": "One bis"}"#)
            #expect(upserted.status == .created)
            #expect(upserted.body["data"]?["createCompany"]?["name"] == "One bis")
            #expect(upserted.body["data"]?["createCompany"]?["employees"] == 1)
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 3)
            // Without upsert, an existing id is Twenty's duplicate entry error.
            let duplicate = try await ws.post("/rest/companies", #"{"id": "\#(firstID)", "name": "Again"}"#)
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.body["messages"]?[0]?.string?.hasPrefix("A duplicate entry was detected") == true, "\(duplicate.body)")

            let many = try await ws.patch("/rest/companies?filter=employees[is]:NOT_NULL", #"{"idealCustomerProfile": true}"#)
            #expect(many.body["data"]?["updateCompanies"]?.array?.count == 2)

            let deleted = try await ws.delete("/rest/companies?filter=idealCustomerProfile[eq]:true&soft_delete=true")
            #expect(deleted.body["data"]?["deleteCompanies"]?.array?.count == 2)
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 1)

            let restored = try await ws.patch("/rest/restore/companies?filter=idealCustomerProfile[eq]:true", "")
            #expect(restored.body["data"]?["restoreCompanies"]?.array?.count == 2)
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 3)

            let destroyed = try await ws.delete("/rest/companies?filter=name[in]:[One bis,Two]")
            #expect(destroyed.body["data"]?["deleteCompanies"]?.array?.count == 2)
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 1)
        }
    }

    @Test func aTokenOfAnotherWorkspaceCanNeitherSeeNorChangeRecords() async throws {
        try await RESTTestWorkspace.run(count: 2) { workspaces in
            let (a, b) = (workspaces[0], workspaces[1])
            let created = try await a.post("/rest/companies", #"{"name": "Private"}"#)
            let id = try #require(created.body["data"]?["createCompany"]?["id"]?.string)
            #expect(try await b.get("/rest/companies/\(id)").status == .notFound)
            #expect(try await b.get("/rest/companies").body["totalCount"] == 0)
            #expect(try await b.patch("/rest/companies/\(id)", #"{"name": "Stolen"}"#).status == .notFound)
            #expect(try await b.delete("/rest/companies/\(id)").status == .notFound)
            #expect(try await b.patch("/rest/companies?filter=id[eq]:\(id)", #"{"name": "Stolen"}"#).body["data"]?["updateCompanies"]?.array?.count == 0)
            #expect(try await a.get("/rest/companies/\(id)").body["data"]?["company"]?["name"] == "Private")
        }
    }
}

extension RecordsCRUDTests {
    @Test func batchUpsertWithDifferentFieldsPerRecordKeepsWhatEachLeavesOut() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let created = try await ws.post("/rest/batch/companies", #"[{"name": "A", "employees": 1}, {"name": "B", "employees": 2}]"#)
            let ids = try #require(created.body["data"]?["createCompanies"]?.array).compactMap { $0["id"]?.string }
            let upserted = try await ws.post("/rest/batch/companies?upsert=true", """
                [{"id": "\(ids[0])", "name": "A2"}, {"id": "\(ids[1])", "employees": 20}, {"name": "C"}]
                """)
            #expect(upserted.status == .created, "\(upserted.body)")
            let records = try #require(upserted.body["data"]?["createCompanies"]?.array)
            #expect(records.map { $0["name"] } == ["A2", "B", "C"])
            #expect(records.map { $0["employees"] } == [1, 20, .null])
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 3)
        }
    }

    /// An upsert batch whose records all give their id is written in id order (so concurrent batches lock rows in the same
    /// order) and answered in the input's order.
    @Test func anUpsertBatchAnswersInTheInputsOrder() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let ids = ["ffffffff-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002", "88888888-0000-4000-8000-000000000003"]
            let body = zip(ids, ["Z", "A", "M"]).map { #"{"id": "\#($0.0)", "name": "\#($0.1)"}"# }.joined(separator: ", ")
            for _ in 0..<2 {  // created, then updated
                let upserted = try await ws.post("/rest/batch/companies?upsert=true", "[\(body)]")
                #expect(upserted.status == .created, "\(upserted.body)")
                #expect(upserted.body["data"]?["createCompanies"]?.array?.compactMap { $0["id"]?.string } == ids)
            }
            let graphQLOrder = try await ws.post("/graphql", #"{"query": "mutation { createCompanies(upsert: true, data: [{id: \"\#(ids[2])\", name: \"M\"}, {id: \"\#(ids[0])\", name: \"Z\"}]) { id } }"}"#)
            #expect(graphQLOrder.body["data"]?["createCompanies"]?.array?.compactMap { $0["id"]?.string } == [ids[2], ids[0]], "\(graphQLOrder.body)")
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 3)
        }
    }

    /// The server fills `createdBy` and `updatedBy` with the caller; an input that gives them (an import) is kept, and a
    /// null actor is a 400.
    @Test func actorsAreFilledUnlessTheInputGivesThem() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let created = try await ws.post("/rest/companies", #"{"name": "Acme"}"#)
            let id = try #require(created.body["data"]?["createCompany"]?["id"]?.string)
            let updated = try await ws.patch("/rest/companies/\(id)", #"{"employees": 3}"#)
            #expect(updated.body["data"]?["updateCompany"]?["updatedBy"]?["name"]?.string == TestTenants.keyName, "\(updated.body)")
            let imported = try await ws.patch("/rest/companies/\(id)", #"{"updatedBy": {"source": "IMPORT", "name": "CSV"}}"#)
            #expect(imported.status == .ok && imported.body["data"]?["updateCompany"]?["updatedBy"]?["source"] == "IMPORT", "\(imported.body)")
            let nulled = try await ws.patch("/rest/companies/\(id)", #"{"updatedBy": null}"#)
            #expect(nulled.status == .badRequest, "\(nulled.body)")
        }
    }

    /// A record may give no value at all (every field of a timeline activity has a default or may be null).
    @Test func recordsWithNoValuesTakeEveryDefault() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let one = try await ws.post("/rest/timelineActivities", "{}")
            #expect(one.status == .created && one.body["data"]?["createTimelineActivity"]?["happensAt"]?.string != nil, "\(one.body)")
            let many = try await ws.post("/rest/batch/timelineActivities", "[{}, {}]")
            #expect(many.status == .created && many.body["data"]?["createTimelineActivities"]?.array?.count == 2, "\(many.body)")
            #expect(try await ws.get("/rest/timelineActivities").body["totalCount"] == 3)
        }
    }
}

extension RecordsCRUDTests {
    @Test func destroyingARecordNullsOrCascadesItsRelationsAsTheirOnDeleteSays() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let company = try await ws.post("/rest/companies", #"{"name": "Doomed"}"#)
            let companyID = try #require(company.body["data"]?["createCompany"]?["id"]?.string)
            let person = try await ws.post("/rest/people", #"{"jobTitle": "Stays", "companyId": "\#(companyID)"}"#)
            let personID = try #require(person.body["data"]?["createPerson"]?["id"]?.string)
            let note = try await ws.post("/rest/notes", #"{"title": "About Doomed"}"#)
            let noteID = try #require(note.body["data"]?["createNote"]?["id"]?.string)
            let target = try await ws.post("/rest/noteTargets", #"{"noteId": "\#(noteID)", "targetCompanyId": "\#(companyID)"}"#)
            #expect(target.status == .created)

            #expect(try await ws.delete("/rest/companies/\(companyID)").status == .ok)
            let orphan = try await ws.get("/rest/people/\(personID)")
            #expect(orphan.body["data"]?["person"]?["companyId"] == .null, "person.company is SET NULL")
            #expect(try await ws.get("/rest/noteTargets").body["totalCount"] == 0, "noteTarget.targetCompany cascades")
            #expect(try await ws.get("/rest/notes/\(noteID)").status == .ok)
        }
    }
}
