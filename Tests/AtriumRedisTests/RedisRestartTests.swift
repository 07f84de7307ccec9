import AtriumRedis
import Foundation
import NIOCore
import Synchronization
import Testing

/// Redis killed and restarted while commands are in flight: this test runs its own `redis-server`.
struct RedisRestartTests {
    @Test(.timeLimit(.minutes(3)))
    func clientRecoversAndNoCommandGetsAnotherCommandsReply() async throws {
        let server = try await RedisServerProcess.started()
        defer { server.kill() }
        let port = server.port

        var configuration = RedisConfiguration(host: "127.0.0.1", port: port, commandTimeout: .seconds(5), connectTimeout: .seconds(3))
        configuration.maximumReconnectDelay = .milliseconds(200)
        let client = RedisClient(configuration: configuration, logger: TestRedis.logger)
        let prefix = "test:\(UUID().uuidString):"

        try await TestRedis.withRunning(client) { client in
            let channel = prefix + "events"
            // The server has just started: on a loaded machine the client's first connect may still be under way.
            try await Self.eventually { _ = try await client.send(["PING"]) }
            let subscription = try await client.subscribe(to: [channel])
            try await client.publish("before", to: channel)
            var messages = subscription.makeAsyncIterator()
            #expect(await messages.next()?.payloadString == "before")

            // Load: every command carries a unique value and checks that its reply is its own. Workers go on until the
            // restart is over and each has had a command answered by the new server (failures are immediate while the
            // client's circuit is open, so a fixed number of iterations could all fall inside the outage).
            let restarted = RestartFlag()
            let outcome = try await withThrowingTaskGroup(of: (ok: Int, failed: Int).self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var ok = 0
                        var failed = 0
                        var answeredAfterRestart = false
                        var index = 0
                        let deadline = ContinuousClock.now + .seconds(20)
                        while index < 400 || !answeredAfterRestart, ContinuousClock.now < deadline {
                            let token = "w\(worker)-i\(index)"
                            let afterRestart = restarted.isSet
                            do {
                                let echo = try await client.send(["ECHO", RedisArgument(token)])
                                #expect(echo.string == token, "ECHO \(token) got another reply: \(echo)")
                                try await client.set(prefix + token, to: RedisArgument(token))
                                let value = try await client.getString(prefix + token)
                                // nil is possible only if the restart wiped the key between SET and GET.
                                #expect(value == nil || value == token, "GET \(token) got another reply: \(String(describing: value))")
                                ok += 1
                                if afterRestart { answeredAfterRestart = true }
                            } catch let error as RedisError {
                                #expect([.connectionClosed, .unavailable, .timeout].contains(error.code), "unexpected \(error)")
                                failed += 1
                                try await Task.sleep(for: .milliseconds(1))
                            }
                            if index % 50 == 0 { try await Task.sleep(for: .milliseconds(5)) }
                            index += 1
                        }
                        #expect(answeredAfterRestart, "worker \(worker) got no reply from the restarted server")
                        return (ok, failed)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(100))
                    server.kill()
                    try await Task.sleep(for: .milliseconds(300))
                    try await server.start()
                    restarted.set()
                    return (0, 0)
                }
                return try await group.reduce(into: (ok: 0, failed: 0)) { $0.ok += $1.ok; $0.failed += $1.failed }
            }
            #expect(outcome.ok > 0)

            // Recovered: commands succeed again.
            // (Connect attempts begun while the server was down may still fail for a moment: retry until both pool slots are back.)
            try await Self.eventually {
                for _ in 0..<4 {
                    try await client.set(prefix + "after", to: "restart")
                    guard try await client.getString(prefix + "after") == "restart" else { throw MissingService(message: "mismatch") }
                }
            }
            #expect(client.statistics.reconnects >= 1)

            // The subscription was restored on the new server: publish until it arrives.
            let publisher = Task {
                while !Task.isCancelled {
                    _ = try? await client.publish("after", to: channel)
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            defer { publisher.cancel() }
            var restored: RedisPubSubMessage?
            while let message = await messages.next() {
                if message.payloadString == "after" {
                    restored = message
                    break
                }
            }
            #expect(restored?.channel == channel)
            publisher.cancel()
            subscription.unsubscribe()
            try await Self.eventually { try await TestRedis.deleteKeys(prefix: prefix, client: client) }
        }
    }

    /// Retries `operation` for up to 10 s.
    private static func eventually(_ operation: () async throws -> Void) async throws {
        var lastError: (any Error)?
        for _ in 0..<100 {
            do {
                try await operation()
                return
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw lastError!
    }
}

/// Set once the restarted server accepts connections.
private final class RestartFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { self.value.load(ordering: .acquiring) }
    func set() { self.value.store(true, ordering: .releasing) }
}
