import AtriumRedis
import Foundation
import Logging

/// Redis clients pointed at a port nothing listens on (port 1 of 127.0.0.1), as servers see Redis during an outage.
/// The shared test Redis is never touched.
enum UnreachableRedis {
    /// Runs `body` with `count` running clients (one per simulated server) after Redis has been "down" for `settle`
    /// (each client keeps trying meanwhile, as a busy server would: a client that backs off would be at its longest
    /// delay by then).
    static func run<T: Sendable>(
        clients count: Int, settle: Duration = .milliseconds(1500), logger: Logger,
        _ body: @Sendable ([RedisClient]) async throws -> T
    ) async throws -> T {
        let clients = (0..<count).map { _ in
            RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: 1), logger: logger)
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { try await client.run() } }
            defer { group.cancelAll() }
            let settled = ContinuousClock.now + settle
            while ContinuousClock.now < settled {
                for client in clients { _ = try? await client.ping() }
                try await Task.sleep(for: .milliseconds(20))
            }
            return try await body(clients)
        }
    }
}

/// Durations of calls, with a one-line summary for the test log.
struct Timings: Sendable {
    var durations: [Duration] = []

    mutating func append(_ duration: Duration) { durations.append(duration) }

    var maximum: Duration { durations.max() ?? .zero }

    /// `n: median …, max …`.
    var summary: String {
        let sorted = durations.sorted()
        guard !sorted.isEmpty else { return "none" }
        return "\(sorted.count): median \(Self.text(sorted[sorted.count / 2])), p90 \(Self.text(sorted[sorted.count * 9 / 10])), max \(Self.text(sorted[sorted.count - 1]))"
    }

    static func text(_ duration: Duration) -> String {
        String(format: "%.1f ms", Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
    }
}
