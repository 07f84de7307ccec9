import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Saved views on `/metadata` with Twenty's 1.x operation names: the same store and rules as REST.
@Suite(.tags(.integration)) struct ViewsGraphQLTests {
    @Test func viewsAreManagedThroughTheMetadataGraphQLAPI() async throws {
        try await ViewsRESTTests.run(count: 2) { workspaces in
            let (ws, other) = (workspaces[0], workspaces[1])
            let company = ws.schema.object(named: "company")!
            let (name, stage) = (company.field(named: "name")!.id.lowercased, company.field(named: "employees")!.id.lowercased)
            func call(_ on: PermissionsTestWorkspace, _ query: String) async throws -> JSONValue {
                let body = try JSONEncoder().encode(["query": query])
                return try await MetadataHostileInputTests.metadata(on.admin, String(decoding: body, as: UTF8.self)).body
            }
            let created = try await call(ws, """
                mutation { createCoreView(input: {name: "Pipeline", objectMetadataId: "\(company.id.lowercased)", icon: "IconLayoutKanban", type: KANBAN, kanbanAggregateOperation: SUM}) { id name type visibility kanbanAggregateOperation viewFields { id } } }
                """)
            let view = try #require(created["data"]?["createCoreView"]?["id"]?.string, "\(created)")
            #expect(created["data"]?["createCoreView"]?["type"] == "KANBAN")
            #expect(created["data"]?["createCoreView"]?["visibility"] == "WORKSPACE")
            let many = try await call(ws, """
                mutation { createManyCoreViewFields(inputs: [{viewId: "\(view)", fieldMetadataId: "\(name)", size: 180, position: 0},
                  {viewId: "\(view)", fieldMetadataId: "\(stage)", size: 100, position: 1, aggregateOperation: MAX}]) { id size aggregateOperation } }
                """)
            let fields = try #require(many["data"]?["createManyCoreViewFields"]?.array, "\(many)")
            #expect(fields.map { $0["size"] } == [180, 100])
            let filter = try await call(ws, """
                mutation { createCoreViewFilter(input: {viewId: "\(view)", fieldMetadataId: "\(stage)", operand: GREATER_THAN_OR_EQUAL, value: "10"}) { id operand value } }
                """)
            #expect(filter["data"]?["createCoreViewFilter"]?["value"] == "10", "\(filter)")

            let listed = try await call(ws, """
                { getCoreViews(objectMetadataId: "\(company.id.lowercased)") { id name viewFields { size aggregateOperation } viewFilters { operand } } }
                """)
            let mine = try #require(listed["data"]?["getCoreViews"]?.array?.first { $0["id"]?.string == view }, "\(listed)")
            #expect(mine["viewFields"]?.array?.count == 2)
            #expect(mine["viewFilters"]?.array?.first?["operand"] == "GREATER_THAN_OR_EQUAL")

            let resized = try await call(ws, """
                mutation { updateCoreViewField(input: {id: "\(try #require(fields.first?["id"]?.string))", update: {size: 220}}) { size } }
                """)
            #expect(resized["data"]?["updateCoreViewField"]?["size"] == 220, "\(resized)")
            let renamed = try await call(ws, #"mutation { updateCoreView(id: "\#(view)", input: {name: "Deals"}) { name } }"#)
            #expect(renamed["data"]?["updateCoreView"]?["name"] == "Deals", "\(renamed)")

            // Bad input is a GraphQL error; another workspace sees nothing.
            let bad = try await call(ws, #"mutation { createCoreViewField(input: {viewId: "\#(view)", fieldMetadataId: "\#(UUID().lowercased)"}) { id } }"#)
            #expect(bad["errors"]?.array?.isEmpty == false, "\(bad)")
            #expect(try await call(other, #"{ getCoreView(id: "\#(view)") { id } }"#)["data"]?["getCoreView"] == .null)
            let theirs = try await call(other, #"mutation { deleteCoreView(id: "\#(view)") }"#)
            #expect(theirs["errors"]?.array?.isEmpty == false, "\(theirs)")

            #expect(try await call(ws, #"mutation { destroyCoreView(id: "\#(view)") }"#)["data"]?["destroyCoreView"] == true)
            #expect(try await call(ws, #"{ getCoreView(id: "\#(view)") { id } }"#)["data"]?["getCoreView"] == .null)
        }
    }
}
