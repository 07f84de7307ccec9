import AtriumCore
@testable import AtriumHTTP
import AtriumRedis
import AtriumTestSupport
import AtriumRedisAdapters
import Foundation
import HTTPTypes
import Logging
import Testing

/// Rate limits fail open when Redis is unavailable, without making requests wait for it.
@Suite(.tags(.integration, .timing)) struct RateLimitOutageTests {
    static var logger: Logger {
        var logger = Logger(label: "test.rate-limit-outage")
        logger.logLevel = .critical
        return logger
    }

    @Test(.timeLimit(.minutes(1)))
    func theLimiterAdmitsAtOnceWhileRedisIsDown() async throws {
        let logger = Self.logger
        try await UnreachableRedis.run(clients: 1, logger: logger) { clients in
            // Twenty's defaults: 100 per caller and 1000 per workspace a minute; every check needs a Redis bucket call
            // (a fresh caller each time, so no local batch of tokens answers for Redis).
            let limiter = RateLimiter(settings: RateLimitSettings(window: .seconds(60), perCaller: 100, perWorkspace: 1000),
                                      buckets: RedisTokenBucketStore(redis: clients[0]))
            var timings = Timings()
            var refused = 0
            for _ in 0..<30 {
                let round = await withTaskGroup(of: (Duration, Bool).self) { group in
                    for _ in 0..<16 {
                        group.addTask {
                            let start = ContinuousClock.now
                            let decision = await limiter.check(workspace: UUID(), caller: "apikey:\(UUID())", logger: logger)
                            return (start.duration(to: .now), decision?.admitted ?? false)
                        }
                    }
                    return await group.reduce(into: [(Duration, Bool)]()) { $0.append($1) }
                }
                for (duration, admitted) in round {
                    timings.append(duration)
                    if !admitted { refused += 1 }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            print("rate-limit with Redis down: checks \(timings.summary)")
            #expect(refused == 0)
            #expect(timings.maximum < .milliseconds(50), "a check waited \(Timings.text(timings.maximum)): \(timings.summary)")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func requestsStayFastWhileRedisIsDown() async throws {
        // Redis down from the start; the default limits (100 a minute per key) apply and fail open.
        let settings = ["REDIS_URL": "redis://127.0.0.1:1", "API_RATE_LIMITING_LONG_LIMIT": "100", "API_RATE_LIMITING_WORKSPACE_LIMIT": "1000"]
        try await RESTTestWorkspace.run(configuration: settings) { workspaces in
            let ws = workspaces[0]
            #expect(try await ws.get("/rest/companies").status == .ok)
            var timings = Timings()
            for _ in 0..<60 {
                let start = ContinuousClock.now
                let response = try await ws.sendWithHeaders(.get, "/rest/companies?limit=1")
                timings.append(start.duration(to: .now))
                #expect(response.status == .ok)
                // Failing open: admitted, the bucket reported full.
                #expect(response.headers[HTTPField.Name("X-RateLimit-Remaining")!] == "100")
                try await Task.sleep(for: .milliseconds(20))
            }
            print("REST with Redis down: requests \(timings.summary)")
            // A request makes a PostgreSQL read or two (the metadata revalidates against PostgreSQL every 250 ms); none
            // waits for Redis (before the circuit, most waited for a reconnect attempt, up to 2 s each).
            #expect(timings.maximum < .seconds(1), "a request took \(Timings.text(timings.maximum)): \(timings.summary)")
        }
    }
}
