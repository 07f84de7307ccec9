import AtriumCore
import AtriumRedis
import AtriumTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Testing

/// `atrium worker` as a process: killed with SIGKILL in mid-stream, another worker finishes its work, every committed
/// write gets exactly one timeline row and at least one delivery to a webhook's receiver; SIGTERM stops a worker
/// cleanly (exit 0). Timing: it runs workers on the test Redis's shared event stream, so alone.
@Suite(.tags(.integration, .timing)) struct WorkerProcessTests {
    struct Created: Decodable { let id: String }
    struct Key: Decodable { let token: String }

    static let companies = 400

    @Test func aWorkerKilledMidStreamLosesNothingAndSIGTERMStopsAWorkerCleanly() async throws {
        let receiver = LoopbackReceiver()
        try await receiver.serve { receiverPort in try await TestDatabase.withFreshCore { _, settings in
            let environment = [
                "WEBHOOK_ALLOWED_PRIVATE_TARGETS": "true",
                "PG_DATABASE_URL": SyntheticWorkspaces.url(for: settings), "LOG_LEVEL": "error", "WORKER_ABANDONED_AFTER_MS": "1000",
                "API_RATE_LIMITING_LONG_LIMIT": "0", "API_RATE_LIMITING_WORKSPACE_LIMIT": "0",
                "REDIS_URL": try TestEnvironment.required("REDIS_URL"),
            ]
            try await Self.resetStream()
            let created = try await APIKeyProcessTests.atrium(["workspace", "create", "--name", "Worker", "--json"], environment: environment)
            let workspace = try JSONDecoder().decode(Created.self, from: Data(created.output.utf8)).id
            let key = try await APIKeyProcessTests.atrium(["api-key", "create", "--workspace", workspace, "--name", "w", "--json"], environment: environment)
            let token = try JSONDecoder().decode(Key.self, from: Data(key.output.utf8)).token
            let (server, base) = try await AtriumProcess.serve(environment: environment)
            defer { if server.isRunning { server.terminate() } }
            let hook = #"{"targetUrl": "http://127.0.0.1:\#(receiverPort)/hook", "operations": ["company.created"]}"#
            #expect(try await Self.send("POST", "\(base)/rest/webhooks", body: hook, token: token).0 == 201)

            let first = try AtriumProcess.launch(["worker"], environment: environment)
            defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
            for batch in 0..<(Self.companies / 50) {
                let records = (0..<50).map { #"{"name": "Company \#(batch * 50 + $0)"}"# }.joined(separator: ",")
                let (status, _) = try await Self.send("POST", "\(base)/rest/batch/companies", body: "[\(records)]", token: token)
                #expect(status == 201)
            }
            // Kill the first worker once it has written some rows, not all.
            let deadline = ContinuousClock.now + .seconds(60)
            var written = 0
            while written == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                written = try await Self.timelineCount(base, token: token)
            }
            kill(first.processIdentifier, SIGKILL)
            _ = try await AtriumProcess.waitForExit(first, within: .seconds(10))
            let atKill = try await Self.timelineCount(base, token: token)
            print("worker killed with \(atKill) of \(Self.companies) timeline rows written")

            var metricsEnvironment = environment
            let metricsPort = try AtriumProcess.freePort()
            metricsEnvironment["WORKER_METRICS_PORT"] = String(metricsPort)
            metricsEnvironment["HOST"] = "127.0.0.1"
            let second = try AtriumProcess.launch(["worker"], environment: metricsEnvironment)
            defer { if second.isRunning { kill(second.processIdentifier, SIGKILL) } }
            while written < Self.companies, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                written = try await Self.timelineCount(base, token: token)
            }
            #expect(written == Self.companies)
            // The queue drains (the workspace's own set-up events come after the companies' in no order), and then
            // nothing more arrives: no event was handled twice.
            var worker: JSONValue?
            repeat {
                try await Task.sleep(for: .milliseconds(200))
                let (_, health) = try await Self.send("GET", "\(base)/healthz", token: token)
                worker = try JSONDecoder().decode(JSONValue.self, from: health)["worker"]
            } while worker?["queues"]?["timeline"]?["entries"] != 0 && ContinuousClock.now < deadline
            #expect(worker?["status"] == "up")
            #expect(worker?["queues"]?["timeline"]?["entries"] == 0, "\(String(describing: worker))")
            #expect(try await Self.timelineCount(base, token: token) == Self.companies)
            // Every company's creation reached the webhook's receiver at least once.
            while receiver.distinct("X-Atrium-Event-Id").count < Self.companies, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(receiver.distinct("X-Atrium-Event-Id").count == Self.companies)
            print("webhook receiver: \(receiver.requestCount) requests for \(Self.companies) events")

            // The second worker's Prometheus figures: what it relayed and handled.
            let (_, metrics) = try await Self.send("GET", "http://127.0.0.1:\(metricsPort)/metrics", token: token)
            let text = String(decoding: metrics, as: UTF8.self)
            func figure(_ name: String) -> Double? {
                text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
            }
            #expect((figure(#"atrium_events_handled_total{consumer="timeline"}"#) ?? 0) > 0, "\(text)")
            #expect(figure(#"atrium_events_lag_seconds{queue="timeline"}"#) != nil, "\(text)")

            kill(second.processIdentifier, SIGTERM)
            #expect(try await AtriumProcess.waitForExit(second, within: .seconds(10)))
            #expect(second.terminationStatus == 0)
        } }
    }

    /// How many timeline rows the workspace has.
    static func timelineCount(_ base: String, token: String) async throws -> Int {
        let (_, data) = try await send("GET", "\(base)/rest/timelineActivities?limit=1", token: token)
        return Int(try JSONDecoder().decode(JSONValue.self, from: data)["totalCount"]?.number ?? -1)
    }

    static func send(_ method: String, _ url: String, body: String? = nil, token: String) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await AtriumProcess.fetch(request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// Drops the shared event stream (and its groups) left by earlier runs.
    static func resetStream() async throws {
        let redis = RedisClient(configuration: try RedisConfiguration(url: try TestEnvironment.required("REDIS_URL")),
                                logger: Logger(label: "test.worker.process"))
        let running = Task { try await redis.run() }
        defer { running.cancel() }
        _ = try await redis.del(["atrium:events"])
    }
}
