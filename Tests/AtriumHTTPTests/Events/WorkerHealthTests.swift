import AtriumCore
import AtriumRedis
import AtriumRedisAdapters
import AtriumTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// `/healthz` reports the workers as Twenty's `worker` indicator does: alive while one beats, with the backlogs.
@Suite(.tags(.integration)) struct WorkerHealthTests {
    @Test func healthzTellsWhetherAWorkerBeatsAndHowFarBehindTheQueuesAre() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["REDIS_URL"])
        let logger = { var logger = Logger(label: "test.worker.health"); logger.logLevel = .error; return logger }()
        let redis = RedisClient(configuration: try RedisConfiguration(url: url), logger: logger)
        let running = Task { try await redis.run() }
        defer { running.cancel() }
        try await withTestApplication { client, _ in
            func worker() async throws -> JSONValue? {
                try await client.execute(uri: "/healthz", method: .get) { response in
                    try JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView))["worker"]
                }
            }
            var heartbeat = WorkerHeartbeat(redis: redis, id: "test-\(UUID().lowercased)", logger: logger)
            heartbeat.interval = .milliseconds(100)
            let beating = Task { [heartbeat] in try await heartbeat.run() }
            var report = try await worker()
            for _ in 0..<20 where report?["status"] != "up" {
                try await Task.sleep(for: .milliseconds(100))
                report = try await worker()
            }
            #expect(report?["status"] == "up")
            #expect((report?["workers"]?.number ?? 0) >= 1)
            #expect(report?["queues"]?["timeline"]?["entries"]?.number != nil)
            #expect(report?["outboxEvents"]?.number != nil)
            // A worker that stops takes its heartbeat with it.
            beating.cancel()
            _ = try? await beating.value
            #expect(try await WorkerHeartbeat.alive(redis: redis).allSatisfy { $0["id"]?.string != heartbeat.id })
        }
    }
}
