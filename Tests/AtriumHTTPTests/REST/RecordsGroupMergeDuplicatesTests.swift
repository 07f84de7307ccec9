import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// `groupBy`, `duplicates` and `merge`.
@Suite(.tags(.integration)) struct RecordsGroupMergeDuplicatesTests {
    @Test func groupByCountsAndAggregatesPerGroupWithRecordSamples() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            _ = try await ws.post("/rest/batch/opportunities", """
                [{"name": "a", "stage": "NEW", "amount": {"amountMicros": 1000000, "currencyCode": "USD"}},
                 {"name": "b", "stage": "NEW", "amount": {"amountMicros": 3000000, "currencyCode": "USD"}},
                 {"name": "c", "stage": "MEETING"},
                 {"name": "d", "stage": "CUSTOMER", "amount": {"amountMicros": 10000000, "currencyCode": "EUR"}}]
                """)
            let grouped = try await ws.get(#"/rest/opportunities/groupBy?group_by=%5B%7B%22stage%22:true%7D%5D&aggregate=%5B%22sumAmountAmountMicros%22,%22countEmptyCloseDate%22,%22percentageEmptyAmountAmountMicros%22%5D&order_by=totalCount%5BDescNullsLast%5D&include_records_sample=true&order_by_for_records=name%5BDescNullsLast%5D"#)
            #expect(grouped.status == .ok, "\(grouped.body)")
            let groups = try #require(grouped.body["data"]?["opportunitiesGroupBy"]?.array)
            #expect(groups.count == 3)
            #expect(groups[0]["groupByDimensionValues"] == ["NEW"])
            #expect(groups[0]["totalCount"] == 2)
            #expect(groups[0]["sumAmountAmountMicros"] == 4_000_000)
            #expect(groups[0]["countEmptyCloseDate"] == 2)
            #expect(groups[0]["records"]?.array?.compactMap { $0["name"]?.string } == ["b", "a"])
            let meeting = try #require(groups.first { $0["groupByDimensionValues"] == ["MEETING"] })
            #expect(meeting["percentageEmptyAmountAmountMicros"] == 1)

            let byCurrency = try await ws.get(#"/rest/opportunities/groupBy?group_by=%5B%7B%22amount%22:%7B%22currencyCode%22:true%7D%7D%5D&filter=stage%5Bneq%5D:MEETING"#)
            let currencies = try #require(byCurrency.body["data"]?["opportunitiesGroupBy"]?.array)
            #expect(currencies.compactMap { $0["groupByDimensionValues"]?[0]?.string } == ["EUR", "USD"])

            let byDay = try await ws.get(#"/rest/opportunities/groupBy?group_by=%5B%7B%22createdAt%22:%7B%22granularity%22:%22YEAR%22%7D%7D%5D"#)
            let years = try #require(byDay.body["data"]?["opportunitiesGroupBy"]?.array)
            #expect(years.count == 1 && years[0]["totalCount"] == 4)

            #expect(try await ws.get("/rest/opportunities/groupBy").status == .badRequest)
            #expect(try await ws.get(#"/rest/opportunities/groupBy?group_by=%5B%7B%22stage%22:true%7D%5D&aggregate=%5B%22sumStage%22%5D"#).status == .badRequest)
        }
    }

    @Test func duplicatesByIdsAndByDataFollowTheObjectsCriteria() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let created = try await ws.post("/rest/batch/companies", """
                [{"name": "Acme"}, {"name": "Acme"}, {"name": "Other", "domainName": {"primaryLinkUrl": "acme.test"}},
                 {"name": "Solo", "domainName": {"primaryLinkUrl": "acme.test"}}, {"name": ""}, {"name": ""}]
                """)
            let ids = try #require(created.body["data"]?["createCompanies"]?.array).compactMap { $0["id"]?.string }
            let byIDs = try await ws.post("/rest/companies/duplicates", #"{"ids": ["\#(ids[0])", "\#(ids[2])", "\#(ids[4])"]}"#)
            #expect(byIDs.status == .ok, "\(byIDs.body)")
            let results = try #require(byIDs.body["data"]?.array)
            #expect(results.count == 3)
            #expect(results[0]["companyDuplicates"]?.array?.compactMap { $0["id"]?.string } == [ids[1]])
            #expect(results[0]["totalCount"] == 1)
            #expect(results[1]["companyDuplicates"]?.array?.compactMap { $0["id"]?.string } == [ids[3]])
            #expect(results[2]["totalCount"] == 0, "empty names are never duplicates")

            let byData = try await ws.post("/rest/companies/duplicates", #"{"data": [{"name": "Acme"}]}"#)
            #expect(byData.body["data"]?[0]?["totalCount"] == 2)
            let people = try await ws.post("/rest/batch/people", """
                [{"name": {"firstName": "Ada", "lastName": "Lovelace"}}, {"emails": {"primaryEmail": "ada@x.test"}}]
                """)
            #expect(people.status == .created)
            let person = try await ws.post("/rest/people/duplicates", #"{"data": [{"name": {"firstName": "Ada", "lastName": "Lovelace"}, "emails": {"primaryEmail": "ada@x.test"}}]}"#)
            #expect(person.body["data"]?[0]?["personDuplicates"]?.array?.count == 2)
            // depth=1 embeds each duplicate's relations, as on the other reads.
            let deep = try await ws.post("/rest/companies/duplicates?depth=1", #"{"data": [{"name": "Acme"}]}"#)
            let first = deep.body["data"]?[0]?["companyDuplicates"]?[0]
            #expect(first?["people"]?.array != nil && first?["opportunities"]?.array != nil, "\(deep.body)")
            #expect(byData.body["data"]?[0]?["companyDuplicates"]?[0]?["people"] == nil, "depth 0 by default")

            #expect(try await ws.post("/rest/companies/duplicates", #"{}"#).status == .badRequest)
            // As Twenty's REST: no ids, no duplicates (not an error).
            let none = try await ws.post("/rest/companies/duplicates", #"{"ids": []}"#)
            #expect(none.status == .ok && none.body == .object(["data": .array([])]), "\(none.body)")
            #expect(try await ws.post("/rest/companies/duplicates", #"{"ids": ["\#(ids[0])"], "data": [{"name": "x"}]}"#).status == .badRequest)
        }
    }

    @Test func mergeFillsEmptyFieldsMovesRelationsAndSoftDeletesTheOthers() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let created = try await ws.post("/rest/batch/companies", """
                [{"name": "Acme", "employees": 10}, {"name": "Acme Inc", "domainName": {"primaryLinkUrl": "acme.test"}, "employees": 99}]
                """)
            let ids = try #require(created.body["data"]?["createCompanies"]?.array).compactMap { $0["id"]?.string }
            let person = try await ws.post("/rest/people", #"{"companyId": "\#(ids[1])"}"#)
            let personID = try #require(person.body["data"]?["createPerson"]?["id"]?.string)

            let preview = try await ws.send(.patch, "/rest/companies/merge", json: #"{"ids": ["\#(ids[0])", "\#(ids[1])"], "conflictPriorityIndex": 0, "dryRun": true}"#)
            #expect(preview.status == .ok, "\(preview.body)")
            #expect(preview.body["data"]?["mergeCompanies"]?["domainName"]?["primaryLinkUrl"] == "acme.test")
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 2)

            let merged = try await ws.send(.patch, "/rest/companies/merge?depth=1", json: #"{"ids": ["\#(ids[0])", "\#(ids[1])"], "conflictPriorityIndex": 0}"#)
            #expect(merged.status == .ok, "\(merged.body)")
            let record = try #require(merged.body["data"]?["mergeCompanies"])
            #expect(record == merged.body["data"]?["mergeCompany"])
            #expect(record["id"]?.string == ids[0])
            #expect(record["name"] == "Acme")
            #expect(record["employees"] == 10)
            #expect(record["domainName"]?["primaryLinkUrl"] == "acme.test")
            #expect(record["people"]?.array?.compactMap { $0["id"]?.string } == [personID])
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 1)
            #expect(try await ws.get("/rest/people/\(personID)").body["data"]?["person"]?["companyId"]?.string == ids[0])

            let again = try await ws.send(.patch, "/rest/companies/merge", json: #"{"ids": ["\#(ids[0])", "\#(ids[1])"], "conflictPriorityIndex": 0}"#)
            #expect(again.status == .notFound)
            #expect(try await ws.send(.patch, "/rest/companies/merge", json: #"{"ids": ["\#(ids[0])"], "conflictPriorityIndex": 0}"#).status == .badRequest)
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 1, "a failed merge changes nothing")
        }
    }
}
