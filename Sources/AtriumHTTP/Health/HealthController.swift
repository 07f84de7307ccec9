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
///   200 `{"status":"ok","postgres":"up","redis":"up"}` when both answer, 503 with the failing one `down` otherwise.
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
                status: report.isHealthy ? .ok : .serviceUnavailable,
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
        self.status = postgres && redis ? "ok" : "unavailable"
        self.postgres = postgres ? "up" : "down"
        self.redis = redis ? "up" : "down"
    }

    var isHealthy: Bool { status == "ok" }
}
