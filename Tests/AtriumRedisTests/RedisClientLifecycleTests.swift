import AtriumRedis
import Foundation
import NIOCore
import NIOPosix
import Testing

struct RedisClientLifecycleTests {
    @Test(.timeLimit(.minutes(1)))
    func commandsBeforeRunWaitForIt() async throws {
        enum Finished: Equatable { case ping, run }
        let client = RedisClient(configuration: try TestRedis.configuration(), logger: TestRedis.logger)
        try await withThrowingTaskGroup(of: Finished.self) { group in
            group.addTask {
                try await client.ping()  // issued before run(): it must wait, then succeed
                return .ping
            }
            // The ping is issued and still waiting (neither answered nor failed) while run() has not started.
            let issued = ContinuousClock.now + .seconds(5)
            while client.statistics.totalCommands == 0, ContinuousClock.now < issued { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(50))
            let waiting = client.statistics
            #expect(waiting.totalCommands == 1)
            #expect(waiting.commandsInFlight == 1, "the ping waits for run()")
            #expect(waiting.totalFailures == 0)
            #expect(waiting.openConnections == 0, "nothing connects before run()")

            group.addTask {
                try await client.run()
                return .run
            }
            // The first child to end is the ping, answered PONG (ping() throws otherwise); run() goes on until cancelled.
            #expect(try await group.next() == .ping)
            #expect(client.statistics.totalFailures == 0)
            group.cancelAll()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func commandsWithoutRunFailAfterTenSeconds() async throws {
        let configuration = try TestRedis.configuration()
        let client = RedisClient(configuration: configuration, logger: TestRedis.logger)
        await #expect {
            try await client.ping()
        } throws: { error in
            (error as? RedisError)?.code == .unavailable
        }
    }

    @Test func commandsAfterShutdownFail() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration(), logger: TestRedis.logger)
        try await TestRedis.withRunning(client) { try await $0.ping() }
        try await Task.sleep(for: .milliseconds(50))
        await #expect {
            try await client.ping()
        } throws: { error in
            (error as? RedisError)?.code == .shutdown
        }
        // Connections close asynchronously after run() returns.
        for _ in 0..<100 where client.statistics.openConnections != 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(client.statistics.openConnections == 0)
    }

    @Test func unreachableRedisFailsClearlyInsteadOfHanging() async throws {
        let port = try await FreePort.find()
        var configuration = RedisConfiguration(host: "127.0.0.1", port: port)
        configuration.connectTimeout = .milliseconds(500)
        let client = RedisClient(configuration: configuration, logger: TestRedis.logger)
        try await TestRedis.withRunning(client) { client in
            for _ in 0..<3 {
                await #expect {
                    try await client.ping()
                } throws: { error in
                    guard let error = error as? RedisError else { return false }
                    return error.code == .unavailable && error.message.contains("unreachable")
                }
            }
        }
    }

    @Test func commandTimeoutFailsClearlyAndTheClientRecovers() async throws {
        try await TestRedis.withClient(configure: { $0.commandTimeout = .seconds(2); $0.poolSize = 1 }) { client, prefix in
            await #expect {
                try await client.send(["BLPOP", RedisArgument(prefix + "never"), "10"])
            } throws: { error in
                guard let error = error as? RedisError else { return false }
                return error.code == .timeout && error.message.contains("2000 ms")
            }
            // The timeout opened the circuit; the background reconnect closes it within a few tens of milliseconds.
            #expect(client.statistics.circuitOpenings == 1)
            try await RedisCircuitBreakerTests.eventually(within: .seconds(2), pause: .milliseconds(5)) {
                try await client.set(prefix + "after", to: "ok")
            }
            #expect(try await client.getString(prefix + "after") == "ok")
            #expect(client.statistics.reconnects >= 1)
        }
    }

    @Test func authAndSelectAreSentOnNewConnections() async throws {
        var configuration = try TestRedis.configuration()
        configuration.database = 5
        let client = RedisClient(configuration: configuration, logger: TestRedis.logger)
        try await TestRedis.withRunning(client) { client in
            let info = try await client.send(["CLIENT", "INFO"]).string ?? ""
            #expect(info.contains("db=5"))
        }
        var wrong = try TestRedis.configuration()
        wrong.password = "definitely-not-the-password"
        let refused = RedisClient(configuration: wrong, logger: TestRedis.logger)
        try await TestRedis.withRunning(refused) { client in
            await #expect {
                try await client.ping()
            } throws: { error in
                (error as? RedisError)?.code == .unavailable
            }
        }
    }
}

/// Finds a TCP port nothing listens on (bind to port 0, read the port, close).
enum FreePort {
    static func find() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}
