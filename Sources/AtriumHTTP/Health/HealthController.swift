import AtriumCore
import AtriumRedis
import AtriumRedisAdapters
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Liveness and readiness routes.
///
/// - `GET /livez`: 200 with no I/O at all; the HTTP floor of the benchmarks.
/// - `GET /healthz`: asks PostgreSQL (`SELECT 1`) and Redis (`PING`) at once, each bounded by `timeout`;
///   200 `{"status":"ok","postgres":"up","redis":"up"}` when both answer; 200 `"status":"degraded"` with `"redis":"down"`
///   when only Redis fails (the server still serves every request: rate limits fail open, caches revalidate against
///   PostgreSQL), so a load balancer does not drop every server at once during a Redis outage; 503
///   `"status":"unavailable"` when PostgreSQL fails (no request can be served).
///   It also reports the workers, as Twenty's `worker` indicator does: `"worker": {"status": "up"|"down"|"unknown",
///   "workers": n, "outboxEvents": n, "outboxLagSeconds": s, "queues": {"timeline": {"entries": n, "lagSeconds": s}}}`:
///   how many workers beat in the last 15 s, and how far behind the outbox and each consumer group are. No worker
///   does not make the server unready: writes still commit their events, which wait for a worker.
struct HealthController {
    let database: Database
    let redis: RedisClient
    let timeout: Duration

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/livez") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/healthz") { _, context -> Response in
            let report = await check(logger: context.logger)
            return Response(
                status: report.isServing ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(report)))
            )
        }
    }

    /// Probes both dependencies concurrently.
    func check(logger: Logger) async -> HealthReport {
        async let postgresUp = database.isReachable(timeout: timeout, logger: logger)
        async let redisUp = redisIsReachable(logger: logger)
        async let worker = workerHealth(logger: logger)
        var report = HealthReport(postgres: await postgresUp, redis: await redisUp)
        report.worker = await worker
        return report
    }

    /// The workers' heartbeats and backlogs; `unknown` when Redis or PostgreSQL does not answer in time.
    private func workerHealth(logger: Logger) async -> WorkerHealth {
        do {
            return try await withTimeout(timeout) {
                let workers = try await WorkerHeartbeat.alive(redis: redis).count
                let outbox = try await EventOutbox.backlog(in: database, logger: logger)
                let stream = RedisEventStream(redis: redis)
                var queues: [String: WorkerHealth.Queue] = [:]
                for group in EventConsumerGroups.all {
                    let backlog = try await stream.backlog(group: group)
                    queues[group] = .init(entries: backlog.entries, lagSeconds: (backlog.oldestAgeSeconds * 1000).rounded() / 1000)
                }
                return WorkerHealth(status: workers > 0 ? "up" : "down", workers: workers, outboxEvents: outbox.events,
                                    outboxLagSeconds: (outbox.oldestAgeSeconds * 1000).rounded() / 1000, queues: queues)
            }
        } catch {
            logger.debug("worker health check failed", metadata: ["error": "\(error)"])
            return WorkerHealth(status: "unknown")
        }
    }

    private func redisIsReachable(logger: Logger) async -> Bool {
        do {
            try await withTimeout(timeout) { try await redis.ping() }
            return true
        } catch {
            logger.debug("Redis health check failed", metadata: ["error": "\(error)"])
            return false
        }
    }
}

/// The body of `GET /healthz`.
struct HealthReport: Codable, Equatable {
    let status: String
    let postgres: String
    let redis: String
    var worker: WorkerHealth?

    init(postgres: Bool, redis: Bool) {
        self.status = !postgres ? "unavailable" : redis ? "ok" : "degraded"
        self.postgres = postgres ? "up" : "down"
        self.redis = redis ? "up" : "down"
    }

    /// Whether the server can serve requests: PostgreSQL answers (Redis is optional to serving).
    var isServing: Bool { postgres == "up" }
}

/// The `worker` part of `GET /healthz`.
struct WorkerHealth: Codable, Equatable {
    /// One consumer group's backlog.
    struct Queue: Codable, Equatable {
        var entries: Int
        var lagSeconds: Double
    }

    var status: String
    var workers: Int?
    var outboxEvents: Int?
    var outboxLagSeconds: Double?
    var queues: [String: Queue]?
}
