import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// A saved view drives a records query (`GET /rest/<plural>?viewId=`): its filters, nested AND/OR/NOT groups and
/// sorts compile into the shared query model, with Twenty's meaning of each operand.
@Suite(.tags(.integration)) struct ViewQueryTests {
    @Test func aViewsFiltersGroupsAndSortsShapeTheRecordsQuery() async throws {
        try await ViewsRESTTests.run(count: 2) { workspaces in
            let (ws, other) = (workspaces[0].admin, workspaces[1].admin)
            let company = workspaces[0].schema.object(named: "company")!
            func field(_ name: String) -> String { company.field(named: name)!.id.lowercased }
            var ids: [String: String] = [:]
            for (name, employees, icp) in [("Acme", "50", "true"), ("Beta", "150", "false"), ("Gamma", "500", "false"), ("Delta", "null", "false")] {
                let created = try await ws.post("/rest/companies", #"{"name": "\#(name)", "employees": \#(employees), "idealCustomerProfile": \#(icp)}"#)
                ids[name] = try #require(created.body["data"]?["createCompany"]?["id"]?.string, "\(created.body)")
            }
            func view(_ name: String) async throws -> String {
                let created = try await ws.post("/rest/metadata/views", #"{"name": "\#(name)", "objectMetadataId": "\#(company.id.lowercased)", "icon": "IconList"}"#)
                return try #require(created.body["id"]?.string, "\(created.body)")
            }
            func add(_ path: String, _ body: String) async throws -> String {
                let created = try await ws.post("/rest/metadata/\(path)", body)
                #expect(created.status == .created, "\(path) \(body): \(created.body)")
                return created.body["id"]?.string ?? ""
            }
            func names(_ view: String, _ extra: String = "") async throws -> [String] {
                let answer = try await ws.get("/rest/companies?viewId=\(view)\(extra)")
                #expect(answer.status == .ok, "\(answer.body)")
                let found = answer.body["data"]?["companies"]?.array?.compactMap { $0["id"]?.string } ?? []
                return found.compactMap { id in ids.first { $0.value == id }?.key }
            }

            // employees ≥ 100 AND name contains "a", sorted by employees descending.
            let big = try await view("Big")
            _ = try await add("viewFilters", #"{"viewId": "\#(big)", "fieldMetadataId": "\#(field("employees"))", "operand": "GREATER_THAN_OR_EQUAL", "value": "100"}"#)
            _ = try await add("viewFilters", #"{"viewId": "\#(big)", "fieldMetadataId": "\#(field("name"))", "operand": "CONTAINS", "value": "A"}"#)
            _ = try await add("viewSorts", #"{"viewId": "\#(big)", "fieldMetadataId": "\#(field("employees"))", "direction": "DESC"}"#)
            #expect(try await names(big) == ["Gamma", "Beta"])
            // The request's own filter narrows further; its order replaces the view's.
            #expect(try await names(big, "&filter=name[eq]:Beta") == ["Beta"])
            #expect(try await names(big, "&order_by=employees[AscNullsFirst]") == ["Beta", "Gamma"])

            // (employees ≤ 60 OR name contains "gam") AND employees is not empty.
            let either = try await view("Either")
            let group = try await add("viewFilterGroups", #"{"viewId": "\#(either)", "logicalOperator": "OR"}"#)
            _ = try await add("viewFilters", #"{"viewId": "\#(either)", "fieldMetadataId": "\#(field("employees"))", "operand": "LESS_THAN_OR_EQUAL", "value": "60", "viewFilterGroupId": "\#(group)"}"#)
            _ = try await add("viewFilters", #"{"viewId": "\#(either)", "fieldMetadataId": "\#(field("name"))", "operand": "CONTAINS", "value": "gam", "viewFilterGroupId": "\#(group)"}"#)
            _ = try await add("viewFilters", #"{"viewId": "\#(either)", "fieldMetadataId": "\#(field("employees"))", "operand": "IS_NOT_EMPTY", "value": ""}"#)
            _ = try await add("viewSorts", #"{"viewId": "\#(either)", "fieldMetadataId": "\#(field("name"))"}"#)
            #expect(try await names(either) == ["Acme", "Gamma"])

            // NOT (employees ≥ 100), nested under an AND group; empty employees; a boolean; this day.
            let not = try await view("Not big")
            let outer = try await add("viewFilterGroups", #"{"viewId": "\#(not)", "logicalOperator": "AND"}"#)
            let inner = try await add("viewFilterGroups", #"{"viewId": "\#(not)", "logicalOperator": "NOT", "parentViewFilterGroupId": "\#(outer)"}"#)
            _ = try await add("viewFilters", #"{"viewId": "\#(not)", "fieldMetadataId": "\#(field("employees"))", "operand": "GREATER_THAN_OR_EQUAL", "value": "100", "viewFilterGroupId": "\#(inner)"}"#)
            #expect(try await names(not) == ["Acme"])
            let empty = try await view("No size")
            _ = try await add("viewFilters", #"{"viewId": "\#(empty)", "fieldMetadataId": "\#(field("employees"))", "operand": "IS_EMPTY", "value": ""}"#)
            #expect(try await names(empty) == ["Delta"])
            let ideal = try await view("Ideal")
            _ = try await add("viewFilters", #"{"viewId": "\#(ideal)", "fieldMetadataId": "\#(field("idealCustomerProfile"))", "operand": "IS", "value": "true"}"#)
            #expect(try await names(ideal) == ["Acme"])
            // Relative dates: "now" is rounded down to the minute, as in Twenty, so these records (created this
            // minute) fall in this year and not in the past year before it; "2000" is long before.
            let thisYear = try await view("This year")
            _ = try await add("viewFilters", #"{"viewId": "\#(thisYear)", "fieldMetadataId": "\#(field("createdAt"))", "operand": "IS_RELATIVE", "value": "THIS__YEAR;;Europe/Paris;;MONDAY;;"}"#)
            #expect(Set(try await names(thisYear)) == ["Acme", "Beta", "Gamma", "Delta"])
            let before = try await view("Before 2000")
            _ = try await add("viewFilters", #"{"viewId": "\#(before)", "fieldMetadataId": "\#(field("createdAt"))", "operand": "IS_BEFORE", "value": "2000-01-01T00:00:00.000Z"}"#)
            #expect(try await names(before) == [])
            let today = try await view("Today")
            _ = try await add("viewFilters", #"{"viewId": "\#(today)", "fieldMetadataId": "\#(field("createdAt"))", "operand": "IS_TODAY", "value": ""}"#)
            _ = try await add("viewSorts", #"{"viewId": "\#(today)", "fieldMetadataId": "\#(field("name"))", "direction": "DESC"}"#)
            #expect(try await names(today) == ["Gamma", "Delta", "Beta", "Acme"])
            // "Me" for an API key, which is no workspace member, matches nobody.
            let mine = try await view("Mine")
            _ = try await add("viewFilters", #"{"viewId": "\#(mine)", "fieldMetadataId": "\#(field("accountOwner"))", "operand": "IS", "value": "{\"isCurrentWorkspaceMemberSelected\":true,\"selectedRecordIds\":[]}"}"#)
            #expect(try await names(mine) == [])
            // The view's search across fields: text CONTAINS, a number IS.
            let search = try await view("Search")
            #expect(try await ws.patch("/rest/metadata/views/\(search)", #"{"anyFieldFilterValue": "AMM"}"#).status == .ok)
            #expect(try await names(search) == ["Gamma"])
            #expect(try await ws.patch("/rest/metadata/views/\(search)", #"{"anyFieldFilterValue": "150"}"#).status == .ok)
            #expect(try await names(search) == ["Beta"])

            // A view of another object, another workspace's view, or no view at all: 400 / 404.
            let people = workspaces[0].schema.object(named: "person")!.id.lowercased
            let personView = try #require(try await ws.get("/rest/metadata/views?objectMetadataId=\(people)").body["data"]?.array?.first?["id"]?.string)
            #expect(try await ws.get("/rest/companies?viewId=\(personView)").status == .badRequest)
            #expect(try await other.get("/rest/companies?viewId=\(big)").status == .notFound)
            #expect(try await ws.get("/rest/companies?viewId=nope").status == .badRequest)
        }
    }

    @Test func aKanbanViewGivesEachVisibleColumnItsCountAggregateAndFirstRecordsInOneQuery() async throws {
        try await ViewsRESTTests.run { workspaces in
            let ws = workspaces[0].admin
            let opportunity = workspaces[0].schema.object(named: "opportunity")!
            for (name, stage, amount) in [("A", "NEW", 1), ("B", "NEW", 2), ("C", "NEW", 4), ("D", "MEETING", 8), ("E", "CUSTOMER", 16)] {
                let body = #"{"name": "\#(name)", "stage": "\#(stage)", "amount": {"amountMicros": \#(amount * 1_000_000), "currencyCode": "USD"}}"#
                #expect(try await ws.post("/rest/opportunities", body).status == .created)
            }
            let views = try await ws.get("/rest/metadata/views?objectMetadataId=\(opportunity.id.lowercased)").body["data"]?.array ?? []
            let byStage = try #require(views.first { $0["name"] == "By Stage" })
            let view = try #require(byStage["id"]?.string)
            #expect(try await ws.patch("/rest/metadata/views/\(view)", #"{"groupLoadLimit": 2}"#).status == .ok)
            let customer = try #require(byStage["viewGroups"]?.array?.first { $0["fieldValue"] == "CUSTOMER" }?["id"]?.string)
            #expect(try await ws.patch("/rest/metadata/viewGroups/\(customer)", #"{"isVisible": false}"#).status == .ok)

            let answer = try await ws.get("/rest/opportunities/groupBy?viewId=\(view)")
            #expect(answer.status == .ok, "\(answer.body)")
            let groups = try #require(answer.body["data"]?["opportunitiesGroupBy"]?.array, "\(answer.body)")
            func group(_ stage: String) -> JSONValue? { groups.first { $0["groupByDimensionValues"]?.array?.first == .string(stage) } }
            #expect(group("NEW")?["totalCount"] == 3)
            #expect(group("NEW")?["sumAmountAmountMicros"] == 7_000_000)
            #expect(group("NEW")?["records"]?.array?.count == 2, "\(String(describing: group("NEW")))")
            #expect(group("MEETING")?["totalCount"] == 1)
            #expect(group("CUSTOMER") == nil)  // hidden
            // Every visible column, empty ones too, in the view's group order.
            #expect(group("PROPOSAL")?["totalCount"] == 0)
            #expect(group("PROPOSAL")?["records"] == [])
            let visible = (byStage["viewGroups"]?.array ?? []).filter { $0["fieldValue"] != "CUSTOMER" && $0["isVisible"] != false }
                .sorted { ($0["position"]?.number ?? 0) < ($1["position"]?.number ?? 0) }.compactMap { $0["fieldValue"]?.string }
            #expect(groups.compactMap { $0["groupByDimensionValues"]?.array?.first?.string ?? "" } == visible)

            // The same board over GraphQL (groupBy is required there, as in Twenty): the view's visible groups and
            // aggregate; the records as each group's connection.
            let query = #"{"query": "{ opportunitiesGroupBy(groupBy: [{stage: true}], viewId: \"\#(view)\") { groupByDimensionValues totalCount sumAmountAmountMicros edges { node { name } } } }"}"#
            let graph = try await ws.send(.post, "/graphql", json: query)
            let boards = try #require(graph.body["data"]?["opportunitiesGroupBy"]?.array, "\(graph.body)")
            let new = try #require(boards.first { $0["groupByDimensionValues"]?.array?.first == "NEW" })
            #expect(new["totalCount"] == 3)
            #expect(new["sumAmountAmountMicros"] == 7_000_000)
            #expect(boards.contains { $0["groupByDimensionValues"]?.array?.first == "CUSTOMER" } == false)
            let proposal = try #require(boards.first { $0["groupByDimensionValues"]?.array?.first == "PROPOSAL" }, "\(boards)")
            #expect(proposal["totalCount"] == 0)
            #expect(proposal["edges"] == [])
        }
    }
}
