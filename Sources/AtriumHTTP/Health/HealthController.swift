import AtriumCore
import AtriumRedis
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
        return HealthReport(postgres: await postgresUp, redis: await redisUp)
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

    init(postgres: Bool, redis: Bool) {
        self.status = !postgres ? "unavailable" : redis ? "ok" : "degraded"
        self.postgres = postgres ? "up" : "down"
        self.redis = redis ? "up" : "down"
    }

    /// Whether the server can serve requests: PostgreSQL answers (Redis is optional to serving).
    var isServing: Bool { postgres == "up" }
}
