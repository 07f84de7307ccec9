import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import PostgresNIO
import Synchronization
import Testing

/// Every record write records Twenty-shaped events in the outbox, in the same statement: REST and GraphQL, one and
/// many, upsert, soft and hard delete, restore; none for an update that changes nothing or a write that fails.
@Suite(.tags(.integration)) struct RecordEventsTests {
    /// One event as the relay renders it.
    struct Event {
        let name: String
        let recordID: String
        let properties: JSONValue
        let apiKeyID: String?
        let userID: String?
    }

    /// Runs `body` with `count` workspaces served by the application, and a reader of a workspace's events: it relays
    /// the workspace's outbox rows (and only its own: tests share one outbox) and returns every event relayed so far.
    func withWorkspaces(
        _ count: Int = 1, _ body: @Sendable ([RESTTestWorkspace], @Sendable (UUID) async throws -> [Event]) async throws -> Void
    ) async throws {
        try await TestTenants.with(count, name: "Events") { database, tenants in
            try await withTestApplication { client, _ in
                let workspaces = tenants.map { RESTTestWorkspace(id: $0.id, token: $0.token, client: client) }
                let outbox = EventOutbox(database: database, metadata: WorkspaceSchemaCache(database: database, store: nil, logger: RESTTestWorkspace.logger))
                let streams = Mutex<[UUID: CapturedEvents]>([:])
                try await body(workspaces) { workspace in
                    let stream = streams.withLock { streams in
                        if let stream = streams[workspace] { return stream }
                        let stream = CapturedEvents()
                        streams[workspace] = stream
                        return stream
                    }
                    while try await outbox.relay(to: stream, limit: 100, workspace: workspace, logger: RESTTestWorkspace.logger) > 0 {}
                    return stream.events.map { event in
                        Event(name: event.name, recordID: event.recordId.lowercased, properties: event.properties,
                              apiKeyID: event.apiKeyId?.lowercased, userID: event.userId?.lowercased)
                    }
                }
            }
        }
    }

    @Test func eachRESTWriteOfOneRecordRecordsItsEvent() async throws {
        try await withWorkspaces { workspaces, events in
            let ws = workspaces[0]
            let created = try await ws.post("/rest/companies", #"{"name": "Acme", "employees": 10}"#)
            let id = try #require(created.body["data"]?["createCompany"]?["id"]?.string)
            #expect(try await ws.patch("/rest/companies/\(id)", #"{"employees": 20, "name": "Acme"}"#).status == .ok)
            // Nothing changes: no event.
            #expect(try await ws.patch("/rest/companies/\(id)", #"{"employees": 20}"#).status == .ok)
            #expect(try await ws.delete("/rest/companies/\(id)?soft_delete=true").status == .ok)
            #expect(try await ws.patch("/rest/restore/companies/\(id)", "{}").status == .ok)
            #expect(try await ws.delete("/rest/companies/\(id)").status == .ok)

            let recorded = try await events(ws.id)
            #expect(recorded.map(\.name) == ["company.created", "company.updated", "company.deleted", "company.restored", "company.destroyed"])
            #expect(recorded.allSatisfy { $0.recordID == id && $0.apiKeyID != nil && $0.userID == nil })
            let (create, update, delete, restore, destroy) = (recorded[0], recorded[1], recorded[2], recorded[3], recorded[4])
            #expect(create.properties.objectKeys == ["after"])
            #expect(create.properties["after"]?["name"] == "Acme")
            #expect(create.properties["after"]?["createdBy"]?["source"] == "API")
            #expect(update.properties.objectKeys == ["after", "before", "diff", "updatedFields"])
            #expect(update.properties["diff"] == ["employees": ["before": 10, "after": 20]])
            #expect(update.properties["updatedFields"] == ["employees"])
            #expect(update.properties["before"]?["employees"] == 10)
            #expect(update.properties["after"]?["employees"] == 20)
            #expect(delete.properties["updatedFields"] == ["deletedAt"])
            #expect(delete.properties["diff"]?["deletedAt"]?["before"] == .null)
            #expect(delete.properties["after"]?["deletedAt"]?.string != nil)
            #expect(restore.properties["updatedFields"] == ["deletedAt"])
            #expect(restore.properties["after"]?["deletedAt"] == .null)
            #expect(destroy.properties.objectKeys == ["before"])
            #expect(destroy.properties["before"]?["employees"] == 20)
        }
    }

    @Test func batchesUpsertsAndFilteredWritesRecordOneEventPerRecord() async throws {
        try await withWorkspaces { workspaces, events in
            let ws = workspaces[0]
            let existing = UUID().lowercased
            let fresh = UUID().lowercased
            #expect(try await ws.post("/rest/batch/companies", """
                [{"id": "\(existing)", "name": "One", "employees": 1}, {"name": "Two", "employees": 2}, {"name": "Three", "employees": 3}]
                """).status == .created)
            #expect(try await ws.post("/rest/batch/companies?upsert=true", """
                [{"id": "\(existing)", "name": "One", "employees": 100}, {"id": "\(fresh)", "name": "Four", "employees": 4}]
                """).status == .created)
            let filtered = try await ws.patch("/rest/companies?filter=employees[lte]:3", #"{"idealCustomerProfile": true}"#)
            #expect(filtered.status == .ok, "\(filtered.body)")

            let recorded = try await events(ws.id)
            #expect(recorded.prefix(3).map(\.name) == ["company.created", "company.created", "company.created"])
            let upserts = recorded.filter { $0.name == "company.upserted" }
            #expect(upserts.count == 2)
            let updatedExisting = try #require(upserts.first { $0.recordID == existing })
            #expect(updatedExisting.properties["before"]?["employees"] == 1)
            #expect(updatedExisting.properties["diff"] == ["employees": ["before": 1, "after": 100]])
            let insertedFresh = try #require(upserts.first { $0.recordID == fresh })
            #expect(insertedFresh.properties["before"] == nil)
            #expect(insertedFresh.properties["diff"]?["name"] == ["before": .null, "after": "Four"])
            // The filtered update matched Two and Three (One has 100 employees now).
            #expect(recorded.filter { $0.name == "company.updated" }.count == 2)
        }
    }

    @Test func aMergeRecordsTheDeletionTheMovedRecordsAndTheMergedRecord() async throws {
        try await withWorkspaces { workspaces, events in
            let ws = workspaces[0]
            let kept = try #require(try await ws.post("/rest/companies", #"{"name": "Acme"}"#).body["data"]?["createCompany"]?["id"]?.string)
            let merged = try #require(try await ws.post("/rest/companies", #"{"name": "Acme Inc", "employees": 5}"#)
                .body["data"]?["createCompany"]?["id"]?.string)
            let person = try #require(try await ws.post("/rest/people", #"{"companyId": "\#(merged)"}"#).body["data"]?["createPerson"]?["id"]?.string)
            let merge = try await ws.send(.patch, "/rest/companies/merge", json: #"{"ids": ["\#(kept)", "\#(merged)"], "conflictPriorityIndex": 0}"#)
            #expect(merge.status == .ok)

            let recorded = try await events(ws.id).dropFirst(3)
            #expect(recorded.map(\.name) == ["company.deleted", "person.updated", "company.updated"])
            #expect(recorded.map(\.recordID) == [merged, person, kept])
            let moved = try #require(recorded.first { $0.name == "person.updated" })
            #expect(moved.properties["diff"] == ["companyId": ["before": .string(merged), "after": .string(kept)]])
            let update = try #require(recorded.last)
            #expect(update.properties["diff"]?["employees"] == ["before": .null, "after": 5])
        }
    }

    /// A record written before one of its SELECT field's options was removed no longer fits the table: its event goes
    /// out with the raw images rather than not at all, and the relay goes on.
    @Test func anEventTheTableCanNoLongerRenderGoesOutRaw() async throws {
        try await withWorkspaces { workspaces, events in
            let ws = workspaces[0]
            let company = try await MetadataHostileInputTests.objectID(ws, "company")
            let created = try await ws.post("/rest/metadata/fields", #"""
                {"objectMetadataId": "\#(company)", "type": "SELECT", "name": "tier", "label": "Tier",
                 "options": [{"value": "GOLD", "label": "Gold", "position": 0}, {"value": "SILVER", "label": "Silver", "position": 1}]}
                """#)
            let field = try #require(created.body["data"]?["createOneField"]?["id"]?.string, "\(created.body)")
            let record = try #require(try await ws.post("/rest/companies", #"{"name": "Acme", "tier": "SILVER"}"#)
                .body["data"]?["createCompany"]?["id"]?.string)
            let options = #"{"options": [{"value": "GOLD", "label": "Gold", "position": 0}]}"#
            #expect(try await ws.patch("/rest/metadata/fields/\(field)", options).status == .ok)
            let after = try #require(try await ws.post("/rest/companies", #"{"name": "Later", "tier": "GOLD"}"#)
                .body["data"]?["createCompany"]?["id"]?.string)

            let recorded = try await events(ws.id)
            let raw = try #require(recorded.first { $0.recordID == record })
            #expect(raw.name == "company.created")
            #expect(raw.properties["after"]?["tier"] == "SILVER")
            let rendered = try #require(recorded.first { $0.recordID == after })
            #expect(rendered.properties["after"]?["tier"] == "GOLD")
            #expect(rendered.properties["after"]?["createdBy"]?["source"] == "API")
            // Removing SILVER cleared it from Acme: an update event, rendered, with the former value as `before`.
            let cleared = try #require(recorded.first { $0.recordID == record && $0.name == "company.updated" }, "\(recorded.map(\.name))")
            #expect(cleared.properties["diff"] == ["tier": ["before": "SILVER", "after": nil]])
            #expect(cleared.properties["updatedFields"] == ["tier"])
            #expect(cleared.properties["before"]?["tier"] == "SILVER")
            #expect(cleared.properties["after"]?["tier"] == JSONValue.null)
            #expect(cleared.properties["after"]?["createdBy"]?["source"] == "API")
            #expect(recorded.filter { $0.name == "company.updated" }.count == 1)
        }
    }

    @Test func removingAMultiSelectOptionRecordsAnUpdateOfEachRecordThatHeldIt() async throws {
        try await withWorkspaces { workspaces, events in
            let ws = workspaces[0]
            let company = try await MetadataHostileInputTests.objectID(ws, "company")
            let created = try await ws.post("/rest/metadata/fields", #"""
                {"objectMetadataId": "\#(company)", "type": "MULTI_SELECT", "name": "regions", "label": "Regions",
                 "options": [{"value": "EU", "label": "EU", "position": 0}, {"value": "US", "label": "US", "position": 1}]}
                """#)
            let field = try #require(created.body["data"]?["createOneField"]?["id"]?.string, "\(created.body)")
            let both = try #require(try await ws.post("/rest/companies", #"{"name": "Both", "regions": ["EU", "US"]}"#)
                .body["data"]?["createCompany"]?["id"]?.string)
            _ = try await ws.post("/rest/companies", #"{"name": "Only US", "regions": ["US"]}"#)
            let options = #"{"options": [{"value": "US", "label": "US", "position": 0}]}"#
            #expect(try await ws.patch("/rest/metadata/fields/\(field)", options).status == .ok)

            let updates = try await events(ws.id).filter { $0.name == "company.updated" }
            #expect(updates.map(\.recordID) == [both])
            #expect(updates.first?.properties["diff"] == ["regions": ["before": ["EU", "US"], "after": ["US"]]])
        }
    }

    @Test func aFailedWriteRecordsNothingAndGraphQLWritesRecordEventsToo() async throws {
        try await withWorkspaces(2) { workspaces, events in
            let (ws, other) = (workspaces[0], workspaces[1])
            let id = UUID().lowercased
            #expect(try await ws.post("/rest/companies", #"{"id": "\#(id)", "name": "Acme"}"#).status == .created)
            // The same id again: a conflict, refused whole.
            let conflict = try await ws.post("/rest/batch/companies", #"[{"name": "New"}, {"id": "\#(id)", "name": "Again"}]"#)
            #expect(conflict.status.code >= 400 && conflict.status.code < 500)
            let mutation = #"{"query": "mutation { updateCompany(id: \"\#(id)\", data: {employees: 7}) { id employees } }"}"#
            let graphQL = try await ws.send(.post, "/graphql", json: mutation)
            #expect(graphQL.body["data"]?["updateCompany"]?["employees"] == 7)

            let recorded = try await events(ws.id)
            #expect(recorded.map(\.name) == ["company.created", "company.updated"])
            #expect(recorded.last?.properties["diff"] == ["employees": ["before": .null, "after": 7]])
            // Another workspace's outbox holds none of them.
            #expect(try await events(other.id).isEmpty)
        }
    }
}

extension JSONValue {
    /// The keys of an object, sorted; empty for anything else.
    var objectKeys: [String] {
        guard case .object(let values) = self else { return [] }
        return values.keys.sorted()
    }
}
