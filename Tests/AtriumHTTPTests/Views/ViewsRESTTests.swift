import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Saved views over REST (`/rest/metadata/views`, `/viewFields`, `/viewFilters`, `/viewFilterGroups`, `/viewSorts`,
/// `/viewGroups`): created, read with their children, changed and deleted in their workspace only; bad input is a
/// 400; a role without VIEWS reads but does not write; a deleted field takes its view rows with it.
@Suite(.tags(.integration)) struct ViewsRESTTests {
    static func run(count: Int = 1, _ body: @Sendable ([PermissionsTestWorkspace]) async throws -> Void) async throws {
        try await PermissionsTestWorkspace.run(count: count, setup: { setup in
            try await setup.roles.create(setup.workspace, RoleInput(label: "Reader", canReadAllObjectRecords: true), logger: RESTTestWorkspace.logger).id
        }, body)
    }

    @Test func aViewAndItsChildrenAreCreatedReadChangedAndDeleted() async throws {
        try await Self.run { workspaces in
            let ws = workspaces[0].admin
            let company = workspaces[0].schema.object(named: "company")!
            let name = company.field(named: "name")!.id.lowercased
            let employees = company.field(named: "employees")!.id.lowercased
            let created = try await ws.post("/rest/metadata/views", #"{"name": "Big companies", "objectMetadataId": "\#(company.id.lowercased)", "icon": "IconBuilding", "type": "TABLE"}"#)
            #expect(created.status == .created, "\(created.body)")
            let view = try #require(created.body["id"]?.string)
            #expect(created.body["visibility"] == "WORKSPACE")
            #expect(created.body["viewFields"] == [])
            #expect(created.body["groupLoadLimit"] == 8)

            let field = try await ws.post("/rest/metadata/viewFields", #"{"viewId": "\#(view)", "fieldMetadataId": "\#(name)", "size": 180, "position": 0, "aggregateOperation": "COUNT"}"#)
            #expect(field.status == .created, "\(field.body)")
            let fieldRow = try #require(field.body["id"]?.string)
            let group = try await ws.post("/rest/metadata/viewFilterGroups", #"{"viewId": "\#(view)", "logicalOperator": "OR"}"#)
            let groupID = try #require(group.body["id"]?.string, "\(group.body)")
            let filter = try await ws.post("/rest/metadata/viewFilters", #"{"viewId": "\#(view)", "fieldMetadataId": "\#(employees)", "operand": "GREATER_THAN_OR_EQUAL", "value": "100", "viewFilterGroupId": "\#(groupID)"}"#)
            #expect(filter.status == .created, "\(filter.body)")
            #expect(filter.body["value"] == "100")
            #expect(try await ws.post("/rest/metadata/viewSorts", #"{"viewId": "\#(view)", "fieldMetadataId": "\#(employees)", "direction": "DESC"}"#).status == .created)

            let read = try await ws.get("/rest/metadata/views/\(view)")
            #expect(read.body["viewFields"]?.array?.first?["size"] == 180)
            #expect(read.body["viewFilters"]?.array?.first?["operand"] == "GREATER_THAN_OR_EQUAL")
            #expect(read.body["viewFilterGroups"]?.array?.first?["logicalOperator"] == "OR")
            #expect(read.body["viewSorts"]?.array?.first?["direction"] == "DESC")
            let listed = try await ws.get("/rest/metadata/views?objectMetadataId=\(company.id.lowercased)")
            #expect(listed.body["data"]?.array?.contains { $0["id"]?.string == view } == true, "\(listed.body)")
            #expect(try await ws.get("/rest/metadata/viewFields?viewId=\(view)").body["totalCount"] == 1)

            // Changes: Twenty's {update: …} body and a flat one.
            let resized = try await ws.patch("/rest/metadata/viewFields/\(fieldRow)", #"{"update": {"size": 240, "isVisible": false}}"#)
            #expect(resized.body["size"] == 240, "\(resized.body)")
            #expect(resized.body["isVisible"] == false)
            #expect(try await ws.patch("/rest/metadata/views/\(view)", #"{"name": "Largest companies", "type": "KANBAN"}"#).body["name"] == "Largest companies")

            // Bad input: 400s naming the problem, nothing written.
            for bad in [#"{"viewId": "\#(view)", "fieldMetadataId": "\#(name)"}"#,  // the view has it already
                        #"{"viewId": "\#(view)", "fieldMetadataId": "\#(UUID().lowercased)"}"#,  // no such field
                        #"{"viewId": "\#(view)", "fieldMetadataId": "\#(workspaces[0].schema.object(named: "person")!.field(named: "jobTitle")!.id.lowercased)"}"#,
                        #"{"viewId": "\#(view)", "fieldMetadataId": "\#(employees)", "aggregateOperation": "MEDIAN"}"#,
                        #"{"viewId": "\#(view)", "fieldMetadataId": "\#(employees)", "size": 1.5}"#,
                        #"{"viewId": "\#(view)", "fieldMetadataId": "\#(employees)", "color": "red"}"#,
                        #"{"fieldMetadataId": "\#(employees)"}"#] {
                let answer = try await ws.post("/rest/metadata/viewFields", bad)
                #expect(answer.status == .badRequest, "\(bad): \(answer.status) \(answer.body)")
            }
            #expect(try await ws.patch("/rest/metadata/views/\(view)", #"{"kanbanColumnWidth": 20}"#).status == .badRequest)
            #expect(try await ws.patch("/rest/metadata/views/\(view)", #"{"objectMetadataId": "\#(company.id.lowercased)"}"#).status == .badRequest)
            #expect(try await ws.get("/rest/metadata/viewFields?viewId=\(view)").body["totalCount"] == 1)

            // Deletion: soft for a child, destroy for the view (its children go with it).
            #expect(try await ws.delete("/rest/metadata/viewSorts/\(try #require(read.body["viewSorts"]?.array?.first?["id"]?.string))").body == ["success": true])
            #expect(try await ws.get("/rest/metadata/views/\(view)").body["viewSorts"] == [])
            #expect(try await ws.delete("/rest/metadata/views/\(view)?destroy=true").status == .ok)
            #expect(try await ws.get("/rest/metadata/views/\(view)").status == .notFound)
            #expect(try await ws.get("/rest/metadata/viewFields/\(fieldRow)").status == .notFound)
        }
    }

    @Test func anotherWorkspaceAndARoleWithoutVIEWSCannotChangeViews() async throws {
        try await Self.run(count: 2) { workspaces in
            let (ws, other) = (workspaces[0], workspaces[1])
            let company = ws.schema.object(named: "company")!
            let created = try await ws.admin.post("/rest/metadata/views", #"{"name": "Mine", "objectMetadataId": "\#(company.id.lowercased)", "icon": "IconList"}"#)
            let view = try #require(created.body["id"]?.string, "\(created.body)")
            let name = company.field(named: "name")!.id.lowercased

            // Another workspace: nothing to see, nothing to change, not even by naming this view as a parent.
            #expect(try await other.admin.get("/rest/metadata/views/\(view)").status == .notFound)
            #expect(try await other.admin.patch("/rest/metadata/views/\(view)", #"{"name": "Theirs"}"#).status == .notFound)
            #expect(try await other.admin.delete("/rest/metadata/views/\(view)?destroy=true").status == .notFound)
            #expect(try await other.admin.post("/rest/metadata/viewFields", #"{"viewId": "\#(view)", "fieldMetadataId": "\#(name)"}"#).status == .notFound)
            let theirs = try await other.admin.get("/rest/metadata/views")
            #expect(theirs.body["data"]?.array?.contains { $0["id"]?.string == view } == false)
            // Nor may it create a view on this workspace's object.
            #expect(try await other.admin.post("/rest/metadata/views", #"{"name": "X", "objectMetadataId": "\#(company.id.lowercased)", "icon": "IconList"}"#).status == .badRequest)

            // A role without VIEWS reads views but does not create or change workspace views; an API key cannot own an
            // unlisted one.
            #expect(try await ws.restricted.get("/rest/metadata/views/\(view)").status == .ok)
            #expect(try await ws.restricted.post("/rest/metadata/views", #"{"name": "R", "objectMetadataId": "\#(company.id.lowercased)", "icon": "IconList"}"#).status == .forbidden)
            #expect(try await ws.restricted.patch("/rest/metadata/views/\(view)", #"{"name": "R"}"#).status == .forbidden)
            #expect(try await ws.restricted.post("/rest/metadata/viewFields", #"{"viewId": "\#(view)", "fieldMetadataId": "\#(name)"}"#).status == .forbidden)
            #expect(try await ws.restricted.post("/rest/metadata/views", #"{"name": "U", "objectMetadataId": "\#(company.id.lowercased)", "icon": "IconList", "visibility": "UNLISTED"}"#).status == .forbidden)
            #expect(try await ws.admin.get("/rest/metadata/views/\(view)").body["name"] == "Mine")
        }
    }

    @Test func aDeletedFieldLeavesNoViewRowsBehind() async throws {
        try await Self.run { workspaces in
            let ws = workspaces[0].admin
            let company = workspaces[0].schema.object(named: "company")!.id.lowercased
            let created = try await ws.post("/rest/metadata/fields", #"{"objectMetadataId": "\#(company)", "type": "NUMBER", "name": "score", "label": "Score"}"#)
            let field = try #require(created.body["data"]?["createOneField"]?["id"]?.string, "\(created.body)")
            let view = try #require(try await ws.post("/rest/metadata/views", #"{"name": "Scored", "objectMetadataId": "\#(company)", "icon": "IconList"}"#).body["id"]?.string)
            for (path, body) in [("viewFields", #"{"viewId": "\#(view)", "fieldMetadataId": "\#(field)"}"#),
                                 ("viewFilters", #"{"viewId": "\#(view)", "fieldMetadataId": "\#(field)", "operand": "IS", "value": "3"}"#),
                                 ("viewSorts", #"{"viewId": "\#(view)", "fieldMetadataId": "\#(field)"}"#)] {
                #expect(try await ws.post("/rest/metadata/\(path)", body).status == .created)
            }
            // Renamed: the rows stay.
            #expect(try await ws.patch("/rest/metadata/fields/\(field)", #"{"name": "rating", "label": "Rating"}"#).status == .ok)
            #expect(try await ws.get("/rest/metadata/views/\(view)").body["viewFields"]?.array?.count == 1)
            #expect(try await ws.patch("/rest/metadata/fields/\(field)", #"{"isActive": false}"#).status == .ok)
            #expect(try await ws.delete("/rest/metadata/fields/\(field)").status == .ok)
            let after = try await ws.get("/rest/metadata/views/\(view)")
            #expect(after.body["viewFields"] == [], "\(after.body)")
            #expect(after.body["viewFilters"] == [])
            #expect(after.body["viewSorts"] == [])
        }
    }

    @Test func aNewWorkspaceHasTwentysStandardViewsAndANewObjectItsIndexView() async throws {
        try await Self.run { workspaces in
            let ws = workspaces[0].admin
            let schema = workspaces[0].schema
            func views(_ object: String) async throws -> [JSONValue] {
                try await ws.get("/rest/metadata/views?objectMetadataId=\(schema.object(named: object)!.id.lowercased)").body["data"]?.array ?? []
            }
            func field(_ object: String, _ name: String) -> JSONValue { .string(schema.object(named: object)!.field(named: name)!.id.lowercased) }
            let companies = try #require(try await views("company").first { $0["key"] == "INDEX" })
            #expect(companies["name"] == "All Companies")
            let columns = companies["viewFields"]?.array ?? []
            #expect(columns.first?["fieldMetadataId"] == field("company", "name"))
            #expect(columns.first?["size"] == 180)
            #expect(columns.first { $0["fieldMetadataId"] == field("company", "domainName") }?["aggregateOperation"] == "COUNT")
            #expect(columns.first { $0["fieldMetadataId"] == field("company", "employees") }?["aggregateOperation"] == "MAX")

            let byStage = try #require(try await views("opportunity").first { $0["name"] == "By Stage" })
            #expect(byStage["type"] == "KANBAN")
            #expect(byStage["kanbanAggregateOperation"] == "SUM")
            #expect(byStage["kanbanAggregateOperationFieldMetadataId"] == field("opportunity", "amount"))
            #expect(byStage["mainGroupByFieldMetadataId"] == field("opportunity", "stage"))
            #expect(byStage["viewGroups"]?.array?.map { $0["fieldValue"] } == ["NEW", "SCREENING", "MEETING", "PROPOSAL", "CUSTOMER"])
            let tasks = try await views("task")
            #expect(Set(tasks.compactMap { $0["name"]?.string }) == ["All Tasks", "By Status", "Assigned to Me"])
            let mine = try #require(tasks.first { $0["name"] == "Assigned to Me" })
            #expect(mine["viewFilters"]?.array?.first?["operand"] == "IS")
            #expect(mine["viewFilters"]?.array?.first?["value"] == #"{"isCurrentWorkspaceMemberSelected":true,"selectedRecordIds":[]}"#)
            #expect(try await views("note").first?["name"] == "All Notes")
            #expect(try await views("workflow").first?["key"] == "INDEX")

            // A custom object gets its INDEX view, its label identifier first.
            let created = try await ws.post("/rest/metadata/objects", #"{"nameSingular": "invoice", "namePlural": "invoices", "labelSingular": "Invoice", "labelPlural": "Invoices"}"#)
            let invoice = try #require(created.body["data"]?["createOneObject"]?["id"]?.string, "\(created.body)")
            let index = try await ws.get("/rest/metadata/views?objectMetadataId=\(invoice)").body["data"]?.array ?? []
            #expect(index.map { $0["name"] } == ["All Invoices"])
            #expect(index.first?["viewFields"]?.array?.first?["size"] == 210)

            // Options of a kanban's field: a removed one takes its group, a renamed one keeps it, a new one gets one.
            let company = schema.object(named: "company")!.id.lowercased
            let tier = try await ws.post("/rest/metadata/fields", #"""
                {"objectMetadataId": "\#(company)", "type": "SELECT", "name": "tier", "label": "Tier",
                 "options": [{"value": "GOLD", "label": "Gold", "position": 0}, {"value": "SILVER", "label": "Silver", "position": 1},
                             {"value": "BRONZE", "label": "Bronze", "position": 2}]}
                """#)
            let tierField = try #require(tier.body["data"]?["createOneField"], "\(tier.body)")
            let tierID = try #require(tierField["id"]?.string)
            let kanban = try await ws.post("/rest/metadata/views", #"{"name": "By Tier", "objectMetadataId": "\#(company)", "icon": "IconLayoutKanban", "type": "KANBAN", "mainGroupByFieldMetadataId": "\#(tierID)"}"#)
            let kanbanID = try #require(kanban.body["id"]?.string, "\(kanban.body)")
            for (position, value) in ["GOLD", "SILVER", "BRONZE"].enumerated() {
                #expect(try await ws.post("/rest/metadata/viewGroups", #"{"viewId": "\#(kanbanID)", "fieldValue": "\#(value)", "position": \#(position)}"#).status == .created)
            }
            // Filters naming options: one keeps a renamed option, one loses its only option (and goes).
            let both = try await ws.post("/rest/metadata/viewFilters", #"{"viewId": "\#(kanbanID)", "fieldMetadataId": "\#(tierID)", "operand": "IS", "value": "[\"GOLD\",\"SILVER\"]"}"#)
            #expect(both.status == .created, "\(both.body)")
            #expect(try await ws.post("/rest/metadata/viewFilters", #"{"viewId": "\#(kanbanID)", "fieldMetadataId": "\#(tierID)", "operand": "IS_NOT", "value": "[\"SILVER\"]"}"#).status == .created)
            var kept = (tierField["options"]?.array ?? []).filter { $0["value"] != "SILVER" }.map { option -> JSONValue in
                guard case .object(var members) = option else { return option }
                if members["value"] == "GOLD" { members["value"] = "PLATINUM" }
                return .object(members)
            }
            kept.append(["value": "IRON", "label": "Iron", "position": 9, "color": "gray"])
            let body = String(decoding: try JSONEncoder().encode(["options": JSONValue.array(kept)]), as: UTF8.self)
            let patched = try await ws.patch("/rest/metadata/fields/\(tierID)", body)
            #expect(patched.status == .ok, "\(patched.body)")
            let regrouped = try await ws.get("/rest/metadata/views/\(kanbanID)")
            #expect(regrouped.body["viewGroups"]?.array?.map { $0["fieldValue"] } == ["PLATINUM", "BRONZE", "IRON"], "\(regrouped.body)")
            #expect(regrouped.body["viewFilters"]?.array?.map { $0["value"] } == [#"["PLATINUM"]"#], "\(regrouped.body)")
        }
    }
}
