import ArgumentParser
import AtriumRedis
import Foundation
import Logging
import NIOCore
import Synchronization

/// GET and SET throughput and latency through Atrium's `RedisClient`, each run beside `redis-benchmark` with the same
/// request count, callers and pipeline depth against the same server in the same run (the floor), with ratios.
///
/// Callers are concurrent tasks sharing one client (its pool of pipelined connections, `--pool-size`), as request
/// handlers share it in `atrium serve`; `redis-benchmark` opens one connection per caller. Unpipelined, each caller
/// awaits every reply before sending again (concurrent callers still share connections, so the client pipelines
/// them); pipelined, each caller sends `--pipeline` commands at once through `RedisClient.pipeline`, like
/// `redis-benchmark -P`. Latency is per call: one command, or one pipeline batch.
struct RedisBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "redis")

    @Option(help: "Redis to benchmark (loopback only; default: REDIS_URL).") var url: String?
    @Option(help: "Commands per run.") var requests = 100_000
    @Option(help: "Concurrent callers, space-separated.") var callers = "1 16 64"
    @Option(help: "Commands per batch in the pipelined runs (1: no pipelined runs).") var pipeline = 16
    @Option(help: "Client connections (default: REDIS_POOL_SIZE, else 2).") var poolSize: Int?
    @Option(help: "The redis-benchmark executable.") var redisBenchmark = "redis-benchmark"

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let url = url ?? environment["REDIS_URL"] else { throw ValidationError("set REDIS_URL or pass --url") }
        var configuration = try RedisConfiguration(url: url)
        guard ["127.0.0.1", "localhost", "::1"].contains(configuration.host) || configuration.host.hasPrefix("127.") else {
            throw ValidationError("only loopback Redis servers may be benchmarked (got \(configuration.host))")
        }
        configuration.poolSize = poolSize ?? environment["REDIS_POOL_SIZE"].flatMap(Int.init) ?? 2
        configuration.commandTimeout = .seconds(30)
        let callerCounts = try callers.split(separator: " ").map { text -> Int in
            guard let count = Int(text), (1...1024).contains(count) else { throw ValidationError("invalid caller count \(text)") }
            return count
        }
        guard requests >= 100, pipeline >= 1 else { throw ValidationError("--requests must be at least 100, --pipeline at least 1") }

        var logger = Logger(label: "bench.redis")
        logger.logLevel = .error
        let client = RedisClient(configuration: configuration, logger: logger)
        let floor = RedisBenchmarkFloor(executable: redisBenchmark, configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            let key = "atrium-bench:redis:key"
            try await client.set(key, to: "xxx")
            print("redis: \(requests) commands per run, 3-byte values, one key; client pool \(configuration.poolSize) connection(s)")
            print("       (redis-benchmark: one connection per caller); \(ProcessInfo.processInfo.activeProcessorCount) CPUs, load "
                + LoadAverage.text)
            print(RedisBenchRow.header)
            var figures: [(String, Double)] = []
            for depth in Set([1, pipeline]).sorted() {
                for count in callerCounts {
                    for operation in RedisBenchOperation.allCases {
                        let reference = try floor.measure(operation, requests: requests, callers: count, pipeline: depth)
                        let ours = try await RedisLoad(client: client, key: key, operation: operation, pipeline: depth)
                            .measure(requests: requests, callers: count)
                        print(RedisBenchRow(operation: operation, callers: count, pipeline: depth, ours: ours, floor: reference).text)
                        let run = "\(operation.rawValue) callers \(count) pipeline \(depth)"
                        figures += [("\(run) atrium req/s", ours.requestsPerSecond), ("\(run) redis-benchmark req/s", reference.requestsPerSecond)]
                    }
                }
            }
            _ = try await client.del([key])
            print("ratio = atrium req/s ÷ redis-benchmark req/s in the same run (1.00 = as fast as Redis' own C client)")
            try BenchFigures.requirePositive(figures)
        }
    }
}

/// The commands measured.
enum RedisBenchOperation: String, CaseIterable, Sendable {
    case set = "SET"
    case get = "GET"
}

/// Throughput and latency of one run.
struct RedisBenchResult: Sendable {
    var requestsPerSecond: Double
    var p50Milliseconds: Double
    var p99Milliseconds: Double
}

/// One line of the table.
struct RedisBenchRow {
    let operation: RedisBenchOperation
    let callers: Int
    let pipeline: Int
    let ours: RedisBenchResult
    let floor: RedisBenchResult

    static let header = "op   callers pipeline | atrium req/s   p50 ms   p99 ms | redis-benchmark req/s   p50 ms   p99 ms | ratio"

    var text: String {
        func column(_ value: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - value.count)) + value }
        let numbers = [
            column(String(format: "%.0f", ours.requestsPerSecond), 12), column(String(format: "%.3f", ours.p50Milliseconds), 8),
            column(String(format: "%.3f", ours.p99Milliseconds), 8),
        ].joined(separator: " ")
        let reference = [
            column(String(format: "%.0f", floor.requestsPerSecond), 21), column(String(format: "%.3f", floor.p50Milliseconds), 8),
            column(String(format: "%.3f", floor.p99Milliseconds), 8),
        ].joined(separator: " ")
        let ratio = floor.requestsPerSecond > 0 ? String(format: "%.2f", ours.requestsPerSecond / floor.requestsPerSecond) : "-"
        return operation.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0) + " " + column("\(callers)", 7) + " "
            + column("\(pipeline)", 8) + " | " + numbers + " | " + reference + " | " + column(ratio, 5)
    }
}

/// The 1-minute load average, for the header (other builds share the machine).
enum LoadAverage {
    static var text: String {
        guard let contents = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return contents.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
