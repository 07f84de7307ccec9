import AtriumCore
import AtriumRedis
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// A worker's sign of life: every ``interval`` it sets `atrium:worker:<id>` to `{id, host, pid, startedAt, beatAt}`
/// for ``lifetime``, so a worker that stops beating (killed, hung, cut off from Redis) disappears within that time.
/// ``alive(redis:)`` lists the living ones, for `/healthz`.
public struct WorkerHeartbeat: Service {
    let redis: RedisClient
    public let id: String
    let logger: Logger
    let startedAt = Date()
    public var interval: Duration = .seconds(5)
    public static let lifetime = 15
    static let prefix = "atrium:worker:"

    public init(redis: RedisClient, id: String, logger: Logger) {
        self.redis = redis
        self.id = id
        self.logger = logger
    }

    public func run() async throws {
        let formatter = ISO8601DateFormatter()
        let host = ProcessInfo.processInfo.hostName
        let pid = ProcessInfo.processInfo.processIdentifier
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let beat: JSONValue = .object([
                "id": .string(id), "host": .string(host), "pid": .number(Double(pid)),
                "startedAt": .string(formatter.string(from: startedAt)), "beatAt": .string(formatter.string(from: Date())),
            ])
            do {
                let text = String(decoding: try JSONEncoder().encode(beat), as: UTF8.self)
                _ = try await redis.set(Self.prefix + id, to: RedisArgument(text), expiration: .seconds(Self.lifetime))
            } catch {
                logger.warning("cannot report the worker's heartbeat", metadata: ["error": "\(error)"])
            }
            await pauseUnlessShuttingDown(interval)
        }
        _ = try? await redis.del([Self.prefix + id])
    }

    /// The workers that beat within ``lifetime``: their heartbeat JSON.
    public static func alive(redis: RedisClient) async throws -> [JSONValue] {
        var cursor = "0"
        var keys: [String] = []
        repeat {
            let reply = try await redis.send(["SCAN", RedisArgument(cursor), "MATCH", RedisArgument(prefix + "*"), "COUNT", "100"])
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string else { break }
            cursor = next
            keys += (parts[1].array ?? []).compactMap(\.string)
        } while cursor != "0"
        guard !keys.isEmpty else { return [] }
        return try await redis.mget(keys).compactMap { value in
            value.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.readableBytesView)) }
        }
    }
}
