import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Webhooks on `/metadata` with Twenty's operations, and the delivery log beside them.
@Suite(.tags(.integration)) struct WebhooksGraphQLTests {
    @Test func webhooksAreManagedThroughTheMetadataGraphQLAPI() async throws {
        try await PermissionsTestWorkspace.run(count: 2, setup: { setup in
            try await setup.roles.create(setup.workspace, RoleInput(label: "Reader", canReadAllObjectRecords: true), logger: RESTTestWorkspace.logger).id
        }) { workspaces in
            let (ws, other) = (workspaces[0], workspaces[1])
            let created = try await ws.metadata(ws.admin, #"""
                mutation { createWebhook(input: {targetUrl: "https://93.184.216.34/hook", operations: ["company.*"], description: "Sync"}) { id targetUrl operations description secret createdAt } }
                """#)
            let id = try #require(created.body["data"]?["createWebhook"]?["id"]?.string, "\(created.body)")
            #expect(created.body["data"]?["createWebhook"]?["operations"] == ["company.*"])
            #expect(created.body["data"]?["createWebhook"]?["secret"]?.string?.count == 64)

            let listed = try await ws.metadata(ws.admin, "{ webhooks { id description } }")
            #expect(listed.body["data"]?["webhooks"]?.array?.map { $0["id"]?.string } == [id])
            let updated = try await ws.metadata(ws.admin, #"""
                mutation { updateWebhook(input: {id: "\#(id)", update: {operations: ["*.*"], description: null}}) { operations description } }
                """#)
            #expect(updated.body["data"]?["updateWebhook"]?["operations"] == ["*.*"], "\(updated.body)")
            #expect(updated.body["data"]?["updateWebhook"]?["description"] == .null)
            let log = try await ws.metadata(ws.admin, #"{ webhookDeliveries(webhookId: "\#(id)") { id status attempts } }"#)
            #expect(log.body["data"]?["webhookDeliveries"] == [], "\(log.body)")

            // Bad input is BAD_USER_INPUT; another workspace sees nothing; a reader role may not.
            let bad = try await ws.metadata(ws.admin, #"mutation { createWebhook(input: {targetUrl: "http://127.0.0.1/x", operations: ["*.*"]}) { id } }"#)
            #expect(bad.body["errors"]?[0]?["extensions"]?["code"] == "BAD_USER_INPUT", "\(bad.body)")
            #expect(try await other.metadata(other.admin, #"{ webhook(id: "\#(id)") { id } }"#).body["data"]?["webhook"] == .null)
            let forbidden = try await ws.metadata(ws.restricted, "{ webhooks { id } }")
            #expect(forbidden.body["errors"]?[0]?["extensions"]?["code"] == "FORBIDDEN", "\(forbidden.body)")

            let deleted = try await ws.metadata(ws.admin, #"mutation { deleteWebhook(id: "\#(id)") { id deletedAt } }"#)
            #expect(deleted.body["data"]?["deleteWebhook"]?["deletedAt"]?.string != nil, "\(deleted.body)")
            #expect(try await ws.metadata(ws.admin, "{ webhooks { id } }").body["data"]?["webhooks"] == [])
        }
    }
}
