import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Twenty's webhook REST routes (`/rest/webhooks`, `/rest/metadata/webhooks`): create, list, read, update, delete,
/// within the caller's workspace, for roles with API_KEYS_AND_WEBHOOKS; bad input and unsafe targets are 400s.
@Suite(.tags(.integration)) struct WebhooksRESTTests {
    @Test func webhooksAreCreatedListedUpdatedAndDeletedInTheirWorkspaceOnly() async throws {
        try await PermissionsTestWorkspace.run(count: 2, setup: { setup in
            try await setup.roles.create(setup.workspace, RoleInput(label: "Reader", canReadAllObjectRecords: true), logger: RESTTestWorkspace.logger).id
        }) { workspaces in
            let (ws, other) = (workspaces[0].admin, workspaces[1].admin)
            // Private targets are refused by default (WEBHOOK_ALLOWED_PRIVATE_TARGETS is off here, see
            // `badInputAndUnsafeTargetsAreRefused`): a public address (a literal: the test machine may have no DNS).
            let created = try await ws.post("/rest/webhooks", #"{"targetUrl": "https://93.184.216.34/hook", "operations": ["company.created", "*.updated"], "description": "CRM sync"}"#)
            #expect(created.status == .created, "\(created.body)")
            let id = try #require(created.body["id"]?.string)
            #expect(created.body["operations"] == ["company.created", "*.updated"])
            #expect(created.body["secret"]?.string?.count == 64)
            #expect(created.body["applicationId"] == .null)
            let defaults = try await ws.post("/rest/metadata/webhooks", #"{"targetUrl": "https://93.184.216.34/all", "secret": "s3cret"}"#)
            #expect(defaults.status == .created, "\(defaults.body)")
            #expect(defaults.body["operations"] == ["*.*"])
            #expect(defaults.body["secret"] == "s3cret")

            let bare = try await ws.get("/rest/webhooks")
            #expect(bare.body.array?.compactMap { $0["targetUrl"]?.string } == ["https://93.184.216.34/hook", "https://93.184.216.34/all"])
            let paged = try await ws.get("/rest/metadata/webhooks")
            #expect(paged.body["data"]?.array?.count == 2)
            #expect(paged.body["totalCount"] == 2)
            #expect(try await ws.get("/rest/webhooks/\(id)").body["description"] == "CRM sync")

            let updated = try await ws.patch("/rest/webhooks/\(id)", #"{"operations": ["*.*"], "description": null}"#)
            #expect(updated.status == .ok, "\(updated.body)")
            #expect(updated.body["operations"] == ["*.*"])
            #expect(updated.body["description"] == .null)
            #expect(updated.body["targetUrl"] == "https://93.184.216.34/hook")

            // Another workspace sees none of them and cannot touch them.
            #expect(try await other.get("/rest/webhooks").body.array?.isEmpty == true)
            #expect(try await other.get("/rest/webhooks/\(id)").status == .notFound)
            #expect(try await other.patch("/rest/webhooks/\(id)", #"{"description": "mine"}"#).status == .notFound)
            #expect(try await other.delete("/rest/webhooks/\(id)").status == .notFound)

            // A role without API_KEYS_AND_WEBHOOKS may not manage them.
            #expect(try await workspaces[0].restricted.get("/rest/webhooks").status == .forbidden)
            #expect(try await workspaces[0].restricted.post("/rest/webhooks", #"{"targetUrl": "https://93.184.216.34/x"}"#).status == .forbidden)

            let deleted = try await ws.delete("/rest/webhooks/\(id)")
            #expect(deleted.status == .ok)
            #expect(deleted.body == true)
            #expect(try await ws.get("/rest/webhooks/\(id)").status == .notFound)
            #expect(try await ws.get("/rest/webhooks").body.array?.count == 1)
        }
    }

    @Test func badInputAndUnsafeTargetsAreRefused() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            for body in [
                #"{}"#, #"{"targetUrl": 5}"#, #"{"targetUrl": "not a url"}"#, #"{"targetUrl": "ftp://example.com/x"}"#,
                #"{"targetUrl": "https://93.184.216.34/x", "operations": ["company"]}"#,
                #"{"targetUrl": "https://93.184.216.34/x", "operations": ["company.exploded"]}"#,
                #"{"targetUrl": "https://93.184.216.34/x", "operations": "*.*"}"#,
                #"{"targetUrl": "https://93.184.216.34/x", "secret": ""}"#,
                // Loopback, private, link-local (cloud metadata) and unspecified targets.
                #"{"targetUrl": "http://127.0.0.1:8080/x"}"#, #"{"targetUrl": "http://localhost/x"}"#,
                #"{"targetUrl": "http://10.1.2.3/x"}"#, #"{"targetUrl": "http://192.168.0.10/x"}"#,
                #"{"targetUrl": "http://169.254.169.254/latest/meta-data"}"#, #"{"targetUrl": "http://[::1]/x"}"#,
                #"{"targetUrl": "http://0.0.0.0/x"}"#,
            ] {
                let answer = try await ws.post("/rest/webhooks", body)
                #expect(answer.status == .badRequest, "\(body): \(answer.status) \(answer.body)")
                #expect(answer.body["messages"]?.array?.isEmpty == false, "\(body): \(answer.body)")
            }
            #expect(try await ws.get("/rest/webhooks").body.array?.isEmpty == true)
            #expect(try await ws.get("/rest/webhooks/nope").status == .badRequest)
        }
    }

    @Test func privateTargetsAreAllowedWhenTheDeploymentSaysSo() async throws {
        try await TestTenants.with(1, name: "Webhooks") { _, tenants in
            try await withTestApplication(["WEBHOOK_ALLOWED_PRIVATE_TARGETS": "true"]) { client, _ in
                let ws = RESTTestWorkspace(id: tenants[0].id, token: tenants[0].token, client: client)
                let created = try await ws.post("/rest/webhooks", #"{"targetUrl": "http://127.0.0.1:8080/x"}"#)
                #expect(created.status == .created, "\(created.body)")
            }
        }
    }

    @Test func matchingFollowsTwentysPatterns() {
        let webhook = Webhook(id: UUID(), workspaceID: UUID(), targetUrl: "https://example.com", operations: ["company.created", "*.updated", "person.*"],
                              description: nil, secret: "s", createdAt: Date(), updatedAt: Date(), deletedAt: nil)
        #expect(webhook.matches("company.created"))
        #expect(!webhook.matches("company.deleted"))
        #expect(webhook.matches("opportunity.updated"))
        #expect(webhook.matches("person.destroyed"))
        #expect(!webhook.matches("note.created"))
        var all = webhook
        all.operations = ["*.*"]
        #expect(all.matches("note.created"))
        #expect(!all.matches("garbage"))
    }

    @Test func publicAndPrivateAddressesAreToldApart() {
        #expect(OutboundTargetPolicy.isPublic([93, 184, 216, 34]))
        #expect(!OutboundTargetPolicy.isPublic([127, 0, 0, 1]))
        #expect(!OutboundTargetPolicy.isPublic([172, 20, 0, 1]))
        #expect(OutboundTargetPolicy.isPublic([172, 32, 0, 1]))
        #expect(!OutboundTargetPolicy.isPublic([100, 64, 0, 1]))
        #expect(!OutboundTargetPolicy.isPublic([169, 254, 169, 254]))
        #expect(!OutboundTargetPolicy.isPublic([0xfd] + Array(repeating: 0, count: 15)))
        #expect(!OutboundTargetPolicy.isPublic([0xfe, 0x80] + Array(repeating: 0, count: 14)))
        #expect(!OutboundTargetPolicy.isPublic(Array(repeating: 0, count: 10) + [0xff, 0xff, 10, 0, 0, 1]))
        #expect(OutboundTargetPolicy.isPublic([0x26, 0x06, 0x28, 0x00] + Array(repeating: 0, count: 11) + [1]))
    }
}
