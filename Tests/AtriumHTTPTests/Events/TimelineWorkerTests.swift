import AtriumCore
import AtriumRedis
import AtriumRedisAdapters
import AtriumTestSupport
import Foundation
import HTTPTypes
import Logging
import PostgresNIO
import Testing

/// The worker's path end to end against real PostgreSQL and Redis: REST writes, the relay from the outbox to a Redis
/// stream (a key of the test's own), the consumer group, and the timeline rows read back through REST and GraphQL.
@Suite(.tags(.integration)) struct TimelineWorkerTests {
    static var logger: Logger {
        var logger = Logger(label: "test.worker")
        logger.logLevel = .error
        return logger
    }

    /// A running Redis client and a stream under a fresh key, deleted afterwards.
    func withStream(_ body: @Sendable (RedisClient, RedisEventStream) async throws -> Void) async throws {
        let url = try #require(ProcessInfo.processInfo.environment["REDIS_URL"], "REDIS_URL must be set (scripts/services start)")
        var configuration = try RedisConfiguration(url: url)
        configuration.commandTimeout = .seconds(5)
        let redis = RedisClient(configuration: configuration, logger: Self.logger)
        let run = Task { try await redis.run() }
        defer { run.cancel() }
        let stream = RedisEventStream(redis: redis, key: "test:events:\(UUID().lowercased)")
        do {
            try await body(redis, stream)
        } catch {
            _ = try? await redis.del([stream.key])
            throw error
        }
        _ = try await redis.del([stream.key])
    }

    /// Relays the workspace's events and hands every new entry of the `timeline` group to `consumer`; returns the
    /// events it handled.
    @discardableResult
    func deliver(_ workspace: UUID, database: Database, stream: RedisEventStream, to consumer: TimelineConsumer) async throws -> [RecordEvent] {
        let outbox = EventOutbox(database: database, metadata: WorkspaceSchemaCache(database: database, store: nil, logger: Self.logger))
        while try await outbox.relay(to: stream, limit: 100, workspace: workspace, logger: Self.logger) > 0 {}
        try await stream.createGroup(consumer.name)
        let entries = try await stream.read(group: consumer.name, consumer: "test", pending: false, count: 1000)
        var events: [RecordEvent] = []
        for entry in entries {
            events.append(try RecordEvent(json: entry.json.readableBytesView))
            try await consumer.handle(events[events.count - 1], logger: Self.logger)
        }
        try await stream.acknowledge(group: consumer.name, entries: entries.map(\.entry))
        return events
    }

    @Test func theTimelineShowsWritesMergesRepeatedUpdatesAndNotesOnTheirTargets() async throws {
        try await withStream { _, stream in
            try await TestTenants.with(1, name: "Timeline") { database, tenants in
                try await withTestApplication { client, _ in
                    let ws = RESTTestWorkspace(id: tenants[0].id, token: tenants[0].token, client: client)
                    let metadata = WorkspaceSchemaCache(database: database, store: nil, logger: Self.logger)
                    let consumer = TimelineConsumer(database: database, metadata: metadata)
                    let company = try #require(try await ws.post("/rest/companies", #"{"name": "Acme", "employees": 10}"#)
                        .body["data"]?["createCompany"]?["id"]?.string)
                    #expect(try await ws.patch("/rest/companies/\(company)", #"{"employees": 20}"#).status == .ok)
                    #expect(try await ws.patch("/rest/companies/\(company)", #"{"employees": 30, "name": "Acme Corp"}"#).status == .ok)
                    let note = try #require(try await ws.post("/rest/notes", #"{"title": "Call the CFO"}"#).body["data"]?["createNote"]?["id"]?.string)
                    #expect(try await ws.post("/rest/noteTargets", #"{"noteId": "\#(note)", "targetCompanyId": "\#(company)"}"#).status == .created)
                    let events = try await deliver(ws.id, database: database, stream: stream, to: consumer)
                    #expect(events.map(\.name) == ["company.created", "company.updated", "company.updated", "note.created", "noteTarget.created"])

                    let timeline = try await ws.get("/rest/timelineActivities?filter=targetCompanyId[eq]:\(company)&order_by=createdAt[AscNullsFirst]")
                    let rows = try #require(timeline.body["data"]?["timelineActivities"]?.array)
                    #expect(rows.map { $0["name"]?.string } == ["company.created", "company.updated", "linked-note.created"])
                    #expect(rows[0]["properties"] == .object([:]))
                    // Two updates within 10 minutes: one row, each field's first `before` and last `after`.
                    #expect(rows[1]["properties"]?["diff"]?["employees"] == ["before": 10, "after": 30])
                    #expect(rows[1]["properties"]?["diff"]?["name"] == ["before": "Acme", "after": "Acme Corp"])
                    #expect(rows[2]["linkedRecordCachedName"] == "Call the CFO")
                    #expect(rows[2]["linkedRecordId"]?.string == note)
                    let noteRows = try await ws.get("/rest/timelineActivities?filter=targetNoteId[eq]:\(note)")
                    #expect(noteRows.body["data"]?["timelineActivities"]?.array?.map { $0["name"]?.string } == ["note.created"])

                    // The same through GraphQL, as Twenty's front end asks it.
                    let query = #"{"query": "{ timelineActivities(filter: {targetCompanyId: {eq: \"\#(company)\"}}) { edges { node { name } } } }"}"#
                    let graphQL = try await ws.send(.post, "/graphql", json: query)
                    #expect(graphQL.body["data"]?["timelineActivities"]?["edges"]?.array?.count == 3)

                    // Delivered again (a worker died before acknowledging): nothing is written twice.
                    for event in events { try await consumer.handle(event, logger: Self.logger) }
                    let again = try await ws.get("/rest/timelineActivities?filter=targetCompanyId[eq]:\(company)&order_by=createdAt[AscNullsFirst]")
                    #expect(again.body["data"]?["timelineActivities"]?.array == rows)
                }
            }
        }
    }

    /// A stream that refuses every append, as Redis does while it is down.
    struct UnavailableStream: EventStream {
        struct Down: Error {}
        func append(_ events: [OutboxEvent]) async throws { throw Down() }
        func createGroup(_ group: String) async throws { throw Down() }
        func read(group: String, consumer: String, pending: Bool, count: Int) async throws -> [StreamedEvent] { throw Down() }
        func claimAbandoned(group: String, consumer: String, idle: Duration, count: Int) async throws -> [StreamedEvent] { throw Down() }
        func acknowledge(group: String, entries: [String]) async throws { throw Down() }
        func backlog(group: String) async throws -> (entries: Int, oldestAgeSeconds: Double) { throw Down() }
    }

    @Test func eventsWaitInTheOutboxWhileTheStreamIsDownAndAbandonedEntriesGoToAnotherWorker() async throws {
        try await withStream { _, stream in
            try await TestTenants.with(1, name: "Relay") { database, tenants in
                try await withTestApplication { client, _ in
                    let ws = RESTTestWorkspace(id: tenants[0].id, token: tenants[0].token, client: client)
                    let outbox = EventOutbox(database: database, metadata: WorkspaceSchemaCache(database: database, store: nil, logger: Self.logger))
                    // Redis down: the write commits, the relay fails, and the events stay in the outbox.
                    let company = try #require(try await ws.post("/rest/companies", #"{"name": "Acme"}"#).body["data"]?["createCompany"]?["id"]?.string)
                    await #expect(throws: UnavailableStream.Down.self) {
                        try await outbox.relay(to: UnavailableStream(), limit: 100, workspace: ws.id, logger: Self.logger)
                    }
                    #expect(try await outbox.relay(to: stream, limit: 100, workspace: ws.id, logger: Self.logger) == 1)
                    #expect(try await outbox.relay(to: stream, limit: 100, workspace: ws.id, logger: Self.logger) == 0)

                    // A worker reads the entry and dies before acknowledging it (kill -9): it stays pending under its name.
                    let consumer = TimelineConsumer(database: database, metadata: WorkspaceSchemaCache(database: database, store: nil, logger: Self.logger))
                    try await stream.createGroup(consumer.name)
                    let taken = try await stream.read(group: consumer.name, consumer: "dead-worker", pending: false, count: 10)
                    #expect(taken.count == 1)
                    #expect(try await stream.backlog(group: consumer.name).entries == 1)

                    // Another worker's loop claims it once abandoned, handles it and acknowledges it.
                    var loop = EventConsumerLoop(consumer, stream: stream, consumerName: "live-worker", logger: Self.logger)
                    loop.claimInterval = .milliseconds(100)
                    loop.abandonedAfter = .milliseconds(200)
                    loop.idleInterval = .milliseconds(50)
                    let running = Task { [loop] in try await loop.run() }
                    defer { running.cancel() }
                    let deadline = ContinuousClock.now + .seconds(10)
                    var rows: [JSONValue] = []
                    while rows.isEmpty, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(100))
                        rows = try await ws.get("/rest/timelineActivities?filter=targetCompanyId[eq]:\(company)").body["data"]?["timelineActivities"]?.array ?? []
                    }
                    #expect(rows.map { $0["name"]?.string } == ["company.created"])
                    while try await stream.backlog(group: consumer.name).entries > 0, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    #expect(try await stream.backlog(group: consumer.name).entries == 0)
                }
            }
        }
    }
}
