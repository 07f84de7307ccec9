import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Synchronization
import Testing

/// The audit log: every event kept once, read newest first through `GET /rest/metadata/eventLogs` by roles with the
/// SECURITY flag, filtered and paged; another workspace's events never show; old events are dropped.
@Suite(.tags(.integration)) struct EventLogTests {
    @Test func theAuditLogKeepsEachEventOnceAndServesItToSecurityAdministratorsOnly() async throws {
        let database = Mutex<Database?>(nil)
        try await PermissionsTestWorkspace.run(count: 2, setup: { setup in
            database.withLock { $0 = setup.database }
            return try await setup.roles.create(setup.workspace, RoleInput(label: "Reader", canReadAllObjectRecords: true),
                                                logger: RESTTestWorkspace.logger).id
        }) { workspaces in
            let (ws, other) = (workspaces[0], workspaces[1])
            let database = try #require(database.withLock { $0 })
            let company = try await ws.company("Acme")
            #expect(try await ws.admin.patch("/rest/companies/\(company)", #"{"employees": 12}"#).status == .ok)
            #expect(try await other.admin.post("/rest/companies", #"{"name": "Other"}"#).status == .created)

            // Relay both workspaces' events and keep each in the log twice (a redelivery): once is what stays.
            let consumer = EventLogConsumer(database: database)
            let outbox = EventOutbox(database: database, metadata: WorkspaceSchemaCache(database: database, store: nil, logger: RESTTestWorkspace.logger))
            for workspace in [ws.id, other.id] {
                let stream = CapturedEvents()
                while try await outbox.relay(to: stream, limit: 100, workspace: workspace, logger: RESTTestWorkspace.logger) > 0 {}
                for event in stream.events + stream.events { try await consumer.handle(event, logger: RESTTestWorkspace.logger) }
            }

            let all = try await ws.admin.get("/rest/metadata/eventLogs")
            #expect(all.status == .ok, "\(all.body)")
            let events = try #require(all.body["data"]?["eventLogs"]?.array)
            #expect(events.map { $0["name"]?.string } == ["company.updated", "company.created"])
            #expect(events[0]["properties"]?["diff"]?["employees"] == ["before": .null, "after": 12])
            #expect(events[0]["recordId"]?.string == company)
            #expect(all.body["pageInfo"]?["hasNextPage"] == false)

            let first = try await ws.admin.get("/rest/metadata/eventLogs?limit=1")
            #expect(first.body["data"]?["eventLogs"]?.array?.map { $0["name"]?.string } == ["company.updated"])
            #expect(first.body["pageInfo"]?["hasNextPage"] == true)
            let cursor = try #require(first.body["pageInfo"]?["endCursor"]?.string)
            let next = try await ws.admin.get("/rest/metadata/eventLogs?limit=1&cursor=\(cursor)")
            #expect(next.body["data"]?["eventLogs"]?.array?.map { $0["name"]?.string } == ["company.created"])

            #expect(try await ws.admin.get("/rest/metadata/eventLogs?objectName=person").body["data"]?["eventLogs"]?.array?.isEmpty == true)
            #expect(try await ws.admin.get("/rest/metadata/eventLogs?name=company.created&recordId=\(company)")
                .body["data"]?["eventLogs"]?.array?.count == 1)
            #expect(try await ws.admin.get("/rest/metadata/eventLogs?since=2999-01-01T00:00:00Z").body["data"]?["eventLogs"]?.array?.isEmpty == true)
            #expect(try await ws.admin.get("/rest/metadata/eventLogs?limit=0").status == .badRequest)
            #expect(try await ws.admin.get("/rest/metadata/eventLogs?recordId=nope").status == .badRequest)

            // A role without the SECURITY flag may not read it; another workspace sees only its own.
            #expect(try await ws.restricted.get("/rest/metadata/eventLogs").status == .forbidden)
            let others = try await other.admin.get("/rest/metadata/eventLogs")
            #expect(others.body["data"]?["eventLogs"]?.array?.map { $0["name"]?.string } == ["company.created"])

            // Retention: an event older than the limit goes, the recent ones stay.
            let log = EventLog(database: database)
            try await log.keep([RecordEvent(id: UUID(), workspaceId: ws.id, name: "company.created", objectMetadataId: UUID(),
                                            recordId: UUID(), properties: .object([:]), createdAt: "2000-01-01T00:00:00.000Z")],
                               logger: RESTTestWorkspace.logger)
            #expect(try await ws.admin.get("/rest/metadata/eventLogs").body["data"]?["eventLogs"]?.array?.count == 3)
            #expect(try await log.prune(olderThanDays: 90, logger: RESTTestWorkspace.logger) >= 1)
            #expect(try await ws.admin.get("/rest/metadata/eventLogs").body["data"]?["eventLogs"]?.array?.count == 2)
        }
    }
}
