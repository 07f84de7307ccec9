import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// The sidebar on `/metadata` (Twenty's navigation menu items): views, records, links and folders of a workspace, in
/// that workspace only; the items of a deleted view or record go with it.
@Suite(.tags(.integration)) struct NavigationMenuTests {
    @Test func itemsAreManagedInTheirWorkspaceAndGoWithTheirViewOrRecord() async throws {
        try await TestTenants.with(2, name: "Navigation") { database, tenants in
            try await withTestApplication { client, _ in
                let ws = RESTTestWorkspace(id: tenants[0].id, token: tenants[0].token, client: client)
                let other = RESTTestWorkspace(id: tenants[1].id, token: tenants[1].token, client: client)
                func call(_ on: RESTTestWorkspace, _ query: String) async throws -> JSONValue {
                    let body = String(decoding: try JSONEncoder().encode(["query": query]), as: UTF8.self)
                    return try await on.send(.post, "/metadata", json: body).body
                }
                let companyObject = try await MetadataHostileInputTests.objectID(ws, "company")
                let views = try await ws.get("/rest/metadata/views?objectMetadataId=\(companyObject)").body["data"]?.array ?? []
                let allCompanies = try #require(views.first?["id"]?.string)
                let company = try #require(try await ws.post("/rest/companies", #"{"name": "Acme"}"#).body["data"]?["createCompany"]?["id"]?.string)

                let viewItem = try await call(ws, #"mutation { createNavigationMenuItem(input: {viewId: "\#(allCompanies)", position: 0}) { id viewId position } }"#)
                let viewItemID = try #require(viewItem["data"]?["createNavigationMenuItem"]?["id"]?.string, "\(viewItem)")
                let recordItem = try await call(ws, #"mutation { createNavigationMenuItem(input: {targetRecordId: "\#(company)", targetObjectMetadataId: "\#(companyObject)", position: 1}) { id } }"#)
                let recordItemID = try #require(recordItem["data"]?["createNavigationMenuItem"]?["id"]?.string, "\(recordItem)")
                let folder = try #require(try await call(ws, #"mutation { createNavigationMenuItem(input: {name: "Partners", position: 2}) { id } }"#)["data"]?["createNavigationMenuItem"]?["id"]?.string)
                let link = try await call(ws, #"mutation { createNavigationMenuItem(input: {name: "Docs", link: "https://example.com", folderId: "\#(folder)", position: 0}) { id folderId } }"#)
                #expect(link["data"]?["createNavigationMenuItem"]?["folderId"]?.string == folder, "\(link)")
                let renamed = try await call(ws, #"mutation { updateNavigationMenuItem(input: {id: "\#(folder)", update: {name: "Partners & friends"}}) { name } }"#)
                #expect(renamed["data"]?["updateNavigationMenuItem"]?["name"] == "Partners & friends", "\(renamed)")
                #expect(try await call(ws, "{ navigationMenuItems { id } }")["data"]?["navigationMenuItems"]?.array?.count == 4)

                // Bad input and other workspaces.
                let half = try await call(ws, #"mutation { createNavigationMenuItem(input: {targetRecordId: "\#(company)"}) { id } }"#)
                #expect(half["errors"] != nil, "\(half)")
                let personal = try await call(ws, #"mutation { createNavigationMenuItem(input: {userWorkspaceId: "\#(UUID().lowercased)", name: "Mine"}) { id } }"#)
                #expect(personal["errors"] != nil, "an API key owns no items: \(personal)")
                let foreign = try await call(other, #"mutation { createNavigationMenuItem(input: {viewId: "\#(allCompanies)"}) { id } }"#)
                #expect(foreign["errors"] != nil, "\(foreign)")
                #expect(try await call(other, "{ navigationMenuItems { id } }")["data"]?["navigationMenuItems"]?.array?.isEmpty == true)
                #expect(try await call(other, #"{ navigationMenuItem(id: "\#(viewItemID)") { id } }"#)["data"]?["navigationMenuItem"] == .null)
                #expect(try await call(other, #"mutation { deleteNavigationMenuItem(id: "\#(viewItemID)") { id } }"#)["errors"] != nil)

                // Deleting the folder takes its items; deleting the view takes its item; destroying the record takes its
                // item once the worker has seen the event.
                #expect(try await call(ws, #"mutation { deleteNavigationMenuItem(id: "\#(folder)") { id } }"#)["data"]?["deleteNavigationMenuItem"]?["id"]?.string == folder)
                #expect(try await ws.delete("/rest/metadata/views/\(allCompanies)").status == .ok)
                #expect(try await ws.delete("/rest/companies/\(company)").status == .ok)
                let stream = CapturedEvents()
                let outbox = EventOutbox(database: database, metadata: WorkspaceSchemaCache(database: database, store: nil, logger: RESTTestWorkspace.logger))
                while try await outbox.relay(to: stream, limit: 100, workspace: ws.id, logger: RESTTestWorkspace.logger) > 0 {}
                try await NavigationCleanupConsumer(database: database).handle(batch: stream.events, logger: RESTTestWorkspace.logger)
                let left = try await call(ws, "{ navigationMenuItems { id } }")["data"]?["navigationMenuItems"]?.array ?? []
                #expect(left.isEmpty, "\(left) (record item \(recordItemID))")
            }
        }
    }
}
