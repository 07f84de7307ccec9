import AtriumRedis
import AtriumTestSupport
import Foundation
import NIOCore
import Testing

/// Redis faults fail fast: while Redis is unreachable or silent, calls fail within milliseconds (never waiting for a
/// reconnect backoff or a connect attempt), and the client notices within about a second when Redis is back.
/// These tests use their own `redis-server`, listener or free port, never the shared test Redis.
@Suite(.tags(.timing)) struct RedisCircuitBreakerTests {
    /// How Redis is unreachable.
    enum Outage: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// Nothing listens on the port: connects are refused.
        case refused
        /// Something accepts connections and never answers: connects time out waiting for `PING`.
        case silent

        var testDescription: String { self.rawValue }
    }

    /// The bound every call made while the circuit is open must meet (they make no network round trip; the margin is
    /// for a loaded 2-core machine).
    static let failFastBound: Duration = .milliseconds(50)

    @Test(.timeLimit(.minutes(1)), arguments: Outage.allCases)
    func callsFailWithinMillisecondsWhileRedisIsUnreachable(_ outage: Outage) async throws {
        let listener = outage == .silent ? try await SilentListener.start() : nil
        var port = listener?.port ?? 0
        if listener == nil { port = try await FreePort.find() }
        let client = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: port), logger: TestRedis.logger)
        try await TestRedis.withRunning(client) { client in
            // The call that finds Redis down waits for its connect attempt (at most connectTimeout, 1 s by default).
            let start = ContinuousClock.now
            await #expect(throws: RedisError.self) { try await client.ping() }
            let detection = start.duration(to: .now)
            // Bounded (the old client waited out backoffs of up to 2 s per call, repeatedly); slack for a loaded parallel run.
            #expect(detection < .seconds(6))
            #expect(!client.isAvailable)

            // Four seconds of bursts: the background probes (every 500 ms at most) never make a caller wait.
            let samples = await FailFastSamples.measure(rounds: 40, concurrency: 32, pause: .milliseconds(100)) {
                _ = try await client.get("circuit:test")
            }
            print("redis-circuit (\(outage)): outage found in \(detection.millisecondsText); then \(samples.summary)")
            #expect(samples.unexpected.isEmpty, "\(samples.unexpected.prefix(3))")
            #expect(samples.maximum < Self.failFastBound, "a call waited \(samples.maximum.millisecondsText): \(samples.summary)")
            #expect(client.statistics.circuitOpenings == 1)
            #expect(client.statistics.openConnections == 0)
        }
        if let listener {
            // The probes did connect (and gave up waiting for PING) in the background.
            #expect(listener.acceptedCount >= 3)
            await listener.close()
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func theCircuitClosesWithinASecondOfRedisReturning() async throws {
        let server = try await RedisServerProcess.started()
        defer { server.kill() }
        let port = server.port
        let client = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: port), logger: TestRedis.logger)
        let channel = "circuit:\(UUID().uuidString)"

        try await TestRedis.withRunning(client) { client in
            try await Self.eventually(within: .seconds(10)) { try await client.ping() }
            let subscription = try await Self.eventually(within: .seconds(10)) { try await client.subscribe(to: [channel]) }
            var messages = subscription.makeAsyncIterator()
            var recoveries: [Duration] = []
            for cycle in 0..<2 {
                server.kill()
                try await Self.eventually(within: .seconds(5)) {
                    _ = try? await client.ping()
                    if client.isAvailable { throw RedisError(.unexpectedReply, "the circuit is still closed") }
                }
                // Two seconds of outage: calls fail at once; the reconnect backoff reaches its cap meanwhile.
                let samples = await FailFastSamples.measure(rounds: 20, concurrency: 16, pause: .milliseconds(100)) {
                    try await client.ping()
                }
                #expect(samples.unexpected.isEmpty, "\(samples.unexpected.prefix(3))")
                #expect(samples.maximum < Self.failFastBound, "a call waited \(samples.maximum.millisecondsText): \(samples.summary)")

                // Timed from the moment redis-server accepts connections again to the first successful call.
                try await server.start()
                let back = ContinuousClock.now
                try await Self.eventually(within: .seconds(5), pause: .milliseconds(2)) { try await client.ping() }
                let recovery = back.duration(to: .now)
                recoveries.append(recovery)
                print("redis-circuit: cycle \(cycle): outage calls \(samples.summary); recovered \(recovery.millisecondsText) after Redis was back")
            }
            // At most the 500 ms reconnect cap plus a connect; the margin is for a loaded machine.
            #expect(recoveries.allSatisfy { $0 < .seconds(4) }, "recoveries: \(recoveries.map(\.millisecondsText))")
            // One opening per outage at least (a connect that a loaded machine makes miss its timeout may add one).
            #expect(client.statistics.circuitOpenings >= 2)

            // The subscription is restored once the circuit closes: publish until a message arrives.
            let restored = ContinuousClock.now
            let publisher = Task {
                while !Task.isCancelled {
                    _ = try? await client.publish("back", to: channel)
                    try? await Task.sleep(for: .milliseconds(10))
                }
            }
            defer { publisher.cancel() }
            let message = await messages.next()
            publisher.cancel()
            #expect(message?.payloadString == "back")
            print("redis-circuit: subscription delivering again \(restored.duration(to: .now).millisecondsText) after the client recovered")
            #expect(restored.duration(to: .now) < .seconds(2))
            subscription.unsubscribe()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aCommandOnASilentConnectionFailsWithinItsBound() async throws {
        let server = try await RedisServerProcess.started()
        defer { server.kill() }
        let port = server.port
        let bound: Duration = .milliseconds(300)
        let client = RedisClient(
            configuration: RedisConfiguration(host: "127.0.0.1", port: port, poolSize: 1, commandTimeout: TimeAmount(bound)),
            logger: TestRedis.logger
        )
        try await TestRedis.withRunning(client) { client in
            try await Self.eventually(within: .seconds(10)) { try await client.ping() }
            server.pause()
            defer { server.resume() }

            let start = ContinuousClock.now
            await #expect {
                _ = try await client.get("circuit:silent")
            } throws: { error in
                (error as? RedisError)?.code == .timeout
            }
            let elapsed = start.duration(to: .now)
            print("redis-circuit: command on a silent connection failed after \(elapsed.millisecondsText) (bound \(bound.millisecondsText))")
            #expect(elapsed >= bound - .milliseconds(5))
            // The margin is for a loaded machine (a busy event loop fires the timer late): alone, ~bound + 1 ms.
            #expect(elapsed < bound + .milliseconds(700))
            #expect(!client.isAvailable)

            // Redis stays silent: the probes' connects are accepted by the kernel, their PING is never answered; callers
            // are not held by them.
            let samples = await FailFastSamples.measure(rounds: 15, concurrency: 16, pause: .milliseconds(100)) {
                _ = try await client.get("circuit:silent")
            }
            #expect(samples.unexpected.isEmpty, "\(samples.unexpected.prefix(3))")
            #expect(samples.maximum < Self.failFastBound, "a call waited \(samples.maximum.millisecondsText): \(samples.summary)")

            server.resume()
            let resumed = ContinuousClock.now
            try await Self.eventually(within: .seconds(5), pause: .milliseconds(2)) { try await client.ping() }
            let recovery = resumed.duration(to: .now)
            print("redis-circuit: silent Redis: outage calls \(samples.summary); recovered \(recovery.millisecondsText) after SIGCONT")
            #expect(recovery < .seconds(3))
        }
    }

    /// Retries `operation` until it succeeds or `within` has passed.
    @discardableResult
    static func eventually<T>(
        within limit: Duration, pause: Duration = .milliseconds(20), _ operation: () async throws -> T
    ) async throws -> T {
        let deadline = ContinuousClock.now + limit
        while true {
            do {
                return try await operation()
            } catch {
                if ContinuousClock.now >= deadline { throw error }
                try await Task.sleep(for: pause)
            }
        }
    }
}
