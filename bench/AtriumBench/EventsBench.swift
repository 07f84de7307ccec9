import ArgumentParser
import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization

/// Events end to end: REST writes to a running `atrium serve`, an `atrium worker` that this bench starts, three
/// matching webhooks whose receivers listen here on loopback, and the timeline and audit log on (every worker runs
/// them).
///
/// 1. **Backlog.** With no worker running, `--backlog` companies are created (batches of 200); then a worker starts and
///    the bench times how long it takes to relay them (the outbox is empty), to handle them (every consumer group has
///    caught up) and to deliver them (each receiver has every event), and the worker's CPU per event.
/// 2. **Lag.** With the worker running, companies are created one per request at `--rate` a second for `--seconds`;
///    each receiver takes the lag of each delivery from commit to receipt (the event id is a UUIDv7 of the commit
///    time, `X-Atrium-Event-Id`), and the bench prints p50 and p99.
struct EventsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events")

    @Option(help: "The running server's base URL.") var server: String
    @Option(help: "A file holding an API key of the bench's workspace.") var tokenFile: String
    @Option(help: "The atrium binary that runs the worker.") var atrium: String
    @Option(help: "Companies written before the worker starts.") var backlog = 20_000
    @Option(help: "Writes a second in the lag phase.") var rate = 1_000
    @Option(help: "Seconds of the lag phase.") var seconds = 10

    func run() async throws {
        guard backlog >= 1, rate >= 1, seconds >= 1 else { throw ValidationError("--backlog, --rate and --seconds must be at least 1") }
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let client = BenchHTTP(base: server, token: token)
        let receivers = (0..<3).map { _ in WebhookReceiver() }
        do {
            try await measure(client: client, receivers: receivers)
            try await client.http.shutdown()
        } catch {
            try? await client.http.shutdown()
            throw error
        }
    }

    private func measure(client: BenchHTTP, receivers: [WebhookReceiver]) async throws {
        try await WebhookReceiver.serving(receivers) { ports in
            let operations = [#"["*.*"]"#, #"["company.*"]"#, #"["company.created"]"#]
            var webhooks: [String] = []
            for (port, operation) in zip(ports, operations) {
                let created = try await client.send(.POST, "/rest/webhooks", #"{"targetUrl": "http://127.0.0.1:\#(port)/hook", "operations": \#(operation)}"#)
                guard let id = (try? JSONSerialization.jsonObject(with: created)) .flatMap({ ($0 as? [String: Any])?["id"] as? String }) else {
                    throw BenchHTTP.Failure(message: "no webhook created: \(String(decoding: created, as: UTF8.self))")
                }
                webhooks.append(id)
            }
            try await runPhases(client: client, ports: ports, receivers: receivers)
            for id in webhooks { _ = try await client.send(.DELETE, "/rest/webhooks/\(id)", nil) }
        }
    }

    /// The floor of deliveries: bare POSTs of a webhook-sized body from this process's own HTTP client, one after
    /// another to each receiver (as a worker sends one webhook's deliveries, in order), the receivers side by side;
    /// POSTs a second per receiver.
    private func deliveryFloor(client: BenchHTTP, ports: [Int], receivers: [WebhookReceiver]) async throws -> Double {
        let count = min(backlog, 5_000)
        let body = "{\"record\":{\"name\":\"" + String(repeating: "x", count: 900) + "\"}}"
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for port in ports {
                group.addTask {
                    for _ in 0..<count {
                        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/hook")
                        request.method = .POST
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.headers.add(name: "X-Atrium-Event-Id", value: UUID().uuidString.lowercased())
                        request.body = .bytes(ByteBuffer(string: body))
                        let response = try await client.http.execute(request, timeout: .seconds(5))
                        _ = try await response.body.collect(upTo: 1 << 16)
                    }
                }
            }
            try await group.waitForAll()
        }
        let perReceiver = Double(count) / (ContinuousClock.now - start).seconds
        guard receivers.allSatisfy({ $0.count == count }) else { throw BenchHTTP.Failure(message: "the floor's POSTs did not all arrive") }
        for receiver in receivers { receiver.reset() }
        return perReceiver
    }

    private func runPhases(client: BenchHTTP, ports: [Int], receivers: [WebhookReceiver]) async throws {
        let floor = try await deliveryFloor(client: client, ports: ports, receivers: receivers)
        // ---------------------------------------------------------------- backlog
        let writeStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            let batches = stride(from: 0, to: backlog, by: 200).map { ($0, min(200, backlog - $0)) }
            var next = 0
            func addNext() {
                guard next < batches.count else { return }
                let (first, count) = batches[next]
                next += 1
                group.addTask {
                    let body = "[" + (first..<first + count).map { #"{"name": "Backlog \#($0)"}"# }.joined(separator: ",") + "]"
                    _ = try await client.send(.POST, "/rest/batch/companies", body)
                }
            }
            for _ in 0..<4 { addNext() }
            while try await group.next() != nil { addNext() }
        }
        let writeSeconds = (ContinuousClock.now - writeStart).seconds
        let worker = try WorkerProcess(binary: atrium)
        defer { worker.stop() }
        let started = ContinuousClock.now
        var relayed: Double?
        var handled: Double?
        var delivered: Double?
        let deadline = started + .seconds(max(120, backlog / 100))
        while delivered == nil || handled == nil {
            guard ContinuousClock.now < deadline else {
                throw BenchHTTP.Failure(message: "the worker did not finish the backlog in time (\(receivers.map(\.count)) delivered)")
            }
            try await Task.sleep(for: .milliseconds(50))
            let now = (ContinuousClock.now - started).seconds
            let health = try await client.workerHealth()
            if relayed == nil, health.outbox == 0 { relayed = now }
            if handled == nil, relayed != nil, health.queued == 0 { handled = now }
            if delivered == nil, receivers.allSatisfy({ $0.count >= backlog }) { delivered = now }
        }
        let backlogCPU = worker.cpuSeconds()
        let backlogFigures = (relayed: Double(backlog) / relayed!, handled: Double(backlog) / handled!,
                              delivered: Double(backlog) / delivered!, cpu: backlogCPU / Double(backlog) * 1e6)
        print("events: backlog of \(backlog) companies (written in \(format(writeSeconds)) s), then a worker started; 3 webhooks, timeline and audit log on")
        print(row("", "seconds", "events/s"))
        print(row("relayed (outbox empty)", format(relayed!), format(backlogFigures.relayed)))
        print(row("handled (every group caught up)", format(handled!), format(backlogFigures.handled)))
        print(row("delivered (each receiver has all)", format(delivered!), format(backlogFigures.delivered)))
        print(row("floor: bare POSTs, a lane per receiver", "", format(floor)))
        print("delivered ÷ floor: \(String(format: "%.2f", backlogFigures.delivered / floor))")
        print("worker CPU per event: \(format(backlogFigures.cpu)) µs (all consumers and 3 deliveries; \(format(backlogCPU)) s in all)")

        // ---------------------------------------------------------------- lag at a steady rate
        for receiver in receivers { receiver.reset() }
        let cpuBefore = worker.cpuSeconds()
        let total = rate * seconds
        let phaseStart = ContinuousClock.now
        let failures = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<total {
                let due = phaseStart + .nanoseconds(Int64(index) * 1_000_000_000 / Int64(rate))
                try? await Task.sleep(until: due)
                group.addTask {
                    (try? await client.send(.POST, "/rest/companies", #"{"name": "Steady \#(index)"}"#)) == nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        let writing = (ContinuousClock.now - phaseStart).seconds
        let written = total - failures
        let waitDeadline = ContinuousClock.now + .seconds(120)
        while receivers.contains(where: { $0.count < written }), ContinuousClock.now < waitDeadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let steadyCPU = worker.cpuSeconds() - cpuBefore
        let lags = receivers.flatMap { $0.lags }.sorted()
        let missing = receivers.map { written - $0.count }.filter { $0 > 0 }
        print("events: \(written) single writes at \(format(Double(written) / writing))/s (asked \(rate)/s for \(seconds) s), each delivered to 3 webhooks")
        print(row("lag commit → webhook received", "p50 ms", "p99 ms"))
        print(row("", format(percentile(lags, 0.5)), format(percentile(lags, 0.99))))
        print("worker CPU per event: \(format(steadyCPU / Double(max(1, written)) * 1e6)) µs; write failures: \(failures)")
        guard failures == 0, missing.isEmpty else {
            throw BenchHTTP.Failure(message: "lag phase incomplete: \(failures) failed writes, receivers short by \(missing)")
        }
        try BenchFigures.requirePositive([
            "relayed events/s": backlogFigures.relayed, "handled events/s": backlogFigures.handled,
            "delivered events/s": backlogFigures.delivered, "worker CPU µs per event": backlogFigures.cpu, "floor POSTs/s": floor,
            "lag p50 ms": percentile(lags, 0.5), "lag p99 ms": percentile(lags, 0.99),
        ])
        print("goals: 5,000 events/s handled; lag p99 under 1 s at 1,000 writes/s")
    }
}

/// A webhook receiver on loopback: counts the distinct events it got and the lag of each from its commit (the UUIDv7
/// time of `X-Atrium-Event-Id`) to its receipt, in milliseconds.
final class WebhookReceiver: Sendable {
    private struct State {
        var events = Set<String>()
        var lags: [Double] = []
    }
    private let state = Mutex(State())

    var count: Int { state.withLock { $0.events.count } }
    var lags: [Double] { state.withLock { $0.lags } }

    func reset() { state.withLock { $0 = State() } }

    func received(eventID: String) {
        let now = Date().timeIntervalSince1970 * 1000
        let hex = eventID.replacingOccurrences(of: "-", with: "").prefix(12)
        let committed = Double(UInt64(hex, radix: 16) ?? 0)
        state.withLock { state in
            if state.events.insert(eventID).inserted { state.lags.append(max(0, now - committed)) }
        }
    }

    /// Runs `body` with every receiver listening on a loopback port of its own (the ports in order).
    static func serving(_ receivers: [WebhookReceiver], _ body: @Sendable ([Int]) async throws -> Void) async throws {
        var tasks: [Task<Void, any Error>] = []
        var ports: [Int] = []
        defer { for task in tasks { task.cancel() } }
        for receiver in receivers {
            let router = Router()
            router.post("/hook") { request, _ -> HTTPResponse.Status in
                _ = try await request.body.collect(upTo: 1 << 20)
                receiver.received(eventID: request.headers[HTTPField.Name("X-Atrium-Event-Id")!] ?? "")
                return .ok
            }
            let port = Mutex<Int?>(nil)
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
                                  logger: Logger(label: "bench.receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
            tasks.append(Task { try await app.runService() })
            var bound: Int?
            for _ in 0..<250 where bound == nil {
                try await Task.sleep(for: .milliseconds(20))
                bound = port.withLock { $0 }
            }
            guard let bound else { throw BenchHTTP.Failure(message: "a webhook receiver did not start") }
            ports.append(bound)
        }
        try await body(ports)
    }
}

/// `atrium worker` as a child process (its environment is the bench's, private webhook targets allowed, warnings
/// logged to the bench's output).
final class WorkerProcess: Sendable {
    let process: Process

    init(binary: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["worker"]
        var environment = ProcessInfo.processInfo.environment
        environment["WEBHOOK_ALLOWED_PRIVATE_TARGETS"] = "true"
        environment["LOG_LEVEL"] = "warning"  // what goes wrong shows in the bench's output
        process.environment = environment
        try process.run()
        self.process = process
    }

    /// User and system CPU seconds the worker has used.
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

/// The bench's REST client: JSON requests with the API key, non-2xx answers as errors.
struct BenchHTTP: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    let http: HTTPClient
    let base: String
    let token: String

    init(base: String, token: String) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.base = base
        self.token = token
    }

    /// Sends a request; the answer's body.
    func send(_ method: HTTPMethod, _ path: String, _ body: String?) async throws -> Data {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw Failure(message: "\(method) \(path): \(response.status.code) \(String(buffer: bytes))")
        }
        return Data(buffer: bytes)
    }

    /// The outbox backlog and the entries the consumer groups have yet to handle, from `/healthz`.
    func workerHealth() async throws -> (outbox: Int, queued: Int) {
        let data = try await send(.GET, "/healthz", nil)
        guard let report = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let worker = report["worker"] as? [String: Any], let outbox = worker["outboxEvents"] as? Int,
              let queues = worker["queues"] as? [String: [String: Any]] else {
            throw Failure(message: "/healthz has no worker backlog: \(String(decoding: data, as: UTF8.self))")
        }
        return (outbox, queues.values.reduce(0) { $0 + ($1["entries"] as? Int ?? 0) })
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension EventsBench {
    func row(_ label: String, _ a: String, _ b: String) -> String {
        label.padding(toLength: 36, withPad: " ", startingAt: 0) + a.padding(toLength: 12, withPad: " ", startingAt: 0) + b
    }
}
