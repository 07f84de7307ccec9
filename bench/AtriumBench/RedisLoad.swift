import AtriumCore
import AtriumRedis
import Foundation
import Synchronization

/// Drives `RedisClient` with concurrent callers and measures throughput and per-call latency.
struct RedisLoad: Sendable {
    let client: RedisClient
    let key: String
    let operation: RedisBenchOperation
    /// Commands per call: 1 sends with `get`/`set`, more sends a batch with `pipeline`.
    let pipeline: Int

    /// Runs `requests` commands (rounded down to whole batches) shared by `callers` concurrent tasks.
    func measure(requests: Int, callers: Int) async throws -> RedisBenchResult {
        let calls = max(1, requests / pipeline)
        let batch: [[RedisArgument]] = Array(repeating: command, count: pipeline)
        for _ in 0..<min(calls, 200) { try await call(batch) }  // warm-up: connections open, caches warm

        let claimed = Counter()
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<callers {
                group.addTask {
                    var mine: [Double] = []
                    mine.reserveCapacity(calls / callers + 1)
                    while claimed.next() < calls {
                        let began = ContinuousClock.now
                        try await call(batch)
                        mine.append(began.duration(to: .now).milliseconds)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [Double]()) { $0.append(contentsOf: $1) }
        }
        let elapsed = start.duration(to: .now).milliseconds / 1000
        let sorted = latencies.sorted()
        return RedisBenchResult(
            requestsPerSecond: Double(calls * pipeline) / elapsed,
            p50Milliseconds: percentile(sorted, 0.50),
            p99Milliseconds: percentile(sorted, 0.99)
        )
    }

    private var command: [RedisArgument] {
        switch operation {
        case .get: ["GET", RedisArgument(key)]
        case .set: ["SET", RedisArgument(key), "xxx"]
        }
    }

    /// One call: a single command through the typed helpers, or a pipelined batch.
    private func call(_ batch: [[RedisArgument]]) async throws {
        if pipeline == 1 {
            switch operation {
            case .get: _ = try await client.get(key)
            case .set: try await client.set(key, to: "xxx")
            }
            return
        }
        for result in try await client.pipeline(batch) {
            _ = try result.get()
        }
    }

    /// Hands out call numbers to the callers.
    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func next() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
    }
}

/// `redis-benchmark` run with the same request count, callers and pipeline depth: the floor.
struct RedisBenchmarkFloor {
    let executable: String
    let configuration: RedisConfiguration

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func measure(_ operation: RedisBenchOperation, requests: Int, callers: Int, pipeline: Int) throws -> RedisBenchResult {
        var arguments = [
            "-h", configuration.host, "-p", "\(configuration.port)", "-t", operation.rawValue.lowercased(),
            "-n", "\(requests)", "-c", "\(callers)", "-P", "\(pipeline)", "-d", "3", "--csv",
        ]
        if configuration.database != 0 { arguments += ["--dbnum", "\(configuration.database)"] }
        if let password = configuration.password { arguments += ["-a", password, "--no-auth-warning"] }
        if let username = configuration.username { arguments += ["--user", username] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "\(executable) failed: \(text)") }
        // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("\"\(operation.rawValue)\"") {
            let fields = line.split(separator: ",").map { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) }
            guard fields.count >= 7, let rps = fields[1], let p50 = fields[4], let p99 = fields[6] else { break }
            return RedisBenchResult(requestsPerSecond: rps, p50Milliseconds: p50, p99Milliseconds: p99)
        }
        throw Failure(description: "no \(operation.rawValue) line in the output of \(executable): \(text)")
    }
}
