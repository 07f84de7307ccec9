import AtriumRedis
import Foundation
import Logging
import NIOCore
import Testing

/// Test helpers that talk to the real Redis named by `REDIS_URL`.
enum TestRedis {
    /// `REDIS_URL` from the environment; a missing variable fails the test (never a silent skip).
    ///
    /// Timeouts are 5 s rather than the default 1 s: a full parallel test run on a shared 2-core machine has taken over
    /// a second to complete a local TCP connect, and a timeout opens the client's circuit (tests that measure the
    /// defaults build their own configuration).
    static func configuration() throws -> RedisConfiguration {
        guard let url = ProcessInfo.processInfo.environment["REDIS_URL"], !url.isEmpty else {
            throw MissingService(
                message: "REDIS_URL is not set: run `./scripts/services start` (it exports REDIS_URL) before running AtriumRedisTests"
            )
        }
        var configuration = try RedisConfiguration(url: url)
        configuration.commandTimeout = .seconds(5)
        configuration.connectTimeout = .seconds(5)
        return configuration
    }

    /// A logger that stays quiet unless `LOG_LEVEL` asks otherwise.
    static var logger: Logger {
        var logger = Logger(label: "atrium.redis.test")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }

    /// Runs `body` with a running client and a fresh key prefix `test:<uuid>:`; afterwards deletes the prefix's keys
    /// (SCAN + DEL) and stops the client.
    static func withClient<T: Sendable>(
        configure: (inout RedisConfiguration) -> Void = { _ in },
        _ body: @Sendable (RedisClient, String) async throws -> T
    ) async throws -> T {
        var configuration = try self.configuration()
        configure(&configuration)
        let client = RedisClient(configuration: configuration, logger: self.logger)
        let prefix = "test:\(UUID().uuidString):"
        return try await self.withRunning(client) { client in
            do {
                let result = try await body(client, prefix)
                try await self.deleteKeys(prefix: prefix, client: client)
                return result
            } catch {
                try? await self.deleteKeys(prefix: prefix, client: client)
                throw error
            }
        }
    }

    /// Runs `client.run()` beside `body`, then cancels it.
    @discardableResult
    static func withRunning<T: Sendable>(_ client: RedisClient, _ body: @Sendable (RedisClient) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            do {
                let result = try await body(client)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// Deletes every key starting with `prefix`, using SCAN (never FLUSHDB).
    static func deleteKeys(prefix: String, client: RedisClient) async throws {
        var cursor = "0"
        repeat {
            let reply = try await client.send(["SCAN", RedisArgument(cursor), "MATCH", RedisArgument(prefix + "*"), "COUNT", "1000"])
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let keys = parts[1].array else { return }
            try await client.del(keys.compactMap(\.string))
            cursor = next
        } while cursor != "0"
    }
}

/// Thrown when a service the integration tests need is missing.
struct MissingService: Error, CustomStringConvertible {
    var message: String
    var description: String { self.message }
}
