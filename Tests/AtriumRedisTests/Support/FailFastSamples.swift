import AtriumRedis
import Foundation

/// Durations and outcomes of many Redis calls made while Redis is down, each timed by the task that makes it.
struct FailFastSamples: Sendable {
    var durations: [Duration] = []
    /// Calls that succeeded, or failed other than with `.unavailable`.
    var unexpected: [String] = []

    /// Runs `rounds` rounds of `concurrency` concurrent calls, `pause` apart.
    static func measure(
        rounds: Int, concurrency: Int, pause: Duration, _ call: @escaping @Sendable () async throws -> Void
    ) async -> FailFastSamples {
        var samples = FailFastSamples()
        for _ in 0..<rounds {
            await withTaskGroup(of: (Duration, String?).self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        let start = ContinuousClock.now
                        do {
                            try await call()
                            return (start.duration(to: .now), "succeeded")
                        } catch let error as RedisError where error.code == .unavailable {
                            return (start.duration(to: .now), nil)
                        } catch {
                            return (start.duration(to: .now), String(reflecting: error))
                        }
                    }
                }
                for await (duration, problem) in group {
                    samples.durations.append(duration)
                    if let problem { samples.unexpected.append(problem) }
                }
            }
            try? await Task.sleep(for: pause)
        }
        return samples
    }

    /// The longest call.
    var maximum: Duration { self.durations.max() ?? .zero }

    /// `n calls: median …, p99 …, max …`.
    var summary: String {
        let sorted = self.durations.sorted()
        guard !sorted.isEmpty else { return "no calls" }
        return "\(sorted.count) calls: median \(sorted[sorted.count / 2].millisecondsText), "
            + "p99 \(sorted[sorted.count * 99 / 100].millisecondsText), max \(sorted[sorted.count - 1].millisecondsText)"
    }
}

extension Duration {
    /// Milliseconds, for messages.
    var millisecondsText: String {
        String(format: "%.1f ms", Double(self.components.seconds) * 1000 + Double(self.components.attoseconds) / 1e15)
    }
}
