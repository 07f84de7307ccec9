import AtriumCore
import AtriumRedis
import Foundation
import NIOCore

/// ``EventStream`` on a Redis stream (`atrium:events` by default): events are entries with a field `event` (the JSON), consumer groups are Redis consumer groups, abandoned entries are taken over with `XAUTOCLAIM`.
///
/// The stream is capped at about ``maximumLength`` entries (`MAXLEN ~`), far more than any consumer falls behind by in
/// normal operation; a consumer stopped for longer than that loses the oldest events.
public struct RedisEventStream: EventStream {
    let redis: RedisClient
    public let key: String
    public var maximumLength = 1_000_000

    public init(redis: RedisClient, key: String = "atrium:events") {
        self.redis = redis
        self.key = key
    }

    public func append(_ events: [OutboxEvent]) async throws {
        let commands: [[RedisArgument]] = events.map { event in
            ["XADD", RedisArgument(key), "MAXLEN", "~", RedisArgument(maximumLength), "*",
             "event", RedisArgument(event.json)]
        }
        for result in try await redis.pipeline(commands) {
            if case .failure(let error) = result { throw error }
        }
    }

    public func createGroup(_ group: String) async throws {
        try await redis.xgroupCreate(key, group: group, startID: "0", makeStream: true, ignoreExisting: true)
    }

    public func read(group: String, consumer: String, pending: Bool, count: Int) async throws -> [StreamedEvent] {
        // Never BLOCK: the client pipelines every caller's commands on shared connections, and Redis answers a
        // connection's commands in order, so a blocking read would stall every command queued behind it (they timed
        // out, and the client then took Redis for down).
        let results = try await redis.xreadgroup(group: group, consumer: consumer, streams: [(key, pending ? "0" : ">")], count: count,
                                                 blockMilliseconds: nil)
        return results.flatMap(\.entries).compactMap(Self.event)
    }

    public func claimAbandoned(group: String, consumer: String, idle: Duration, count: Int) async throws -> [StreamedEvent] {
        let milliseconds = Int(idle.components.seconds * 1000 + idle.components.attoseconds / 1_000_000_000_000_000)
        let claimed = try await redis.xautoclaim(key, group: group, consumer: consumer, minIdleMilliseconds: milliseconds, count: count)
        return claimed.entries.compactMap(Self.event)
    }

    public func acknowledge(group: String, entries: [String]) async throws {
        guard !entries.isEmpty else { return }
        _ = try await redis.xack(key, group: group, ids: entries)
    }

    public func backlog(group: String) async throws -> (entries: Int, oldestAgeSeconds: Double) {
        let groups: RESPValue
        do {
            groups = try await redis.send(["XINFO", "GROUPS", RedisArgument(key)])
        } catch let error as RedisError where error.code == .serverError && error.message.contains("no such key") {
            return (0, 0)  // no event was ever relayed
        }
        for info in groups.array ?? [] {
            let fields = info.array ?? []
            var values: [String: RESPValue] = [:]
            for index in stride(from: 0, to: fields.count - 1, by: 2) {
                if let name = fields[index].string { values[name] = fields[index + 1] }
            }
            guard values["name"]?.string == group else { continue }
            let waiting = (values["lag"]?.int ?? 0) + (values["pending"]?.int ?? 0)
            guard waiting > 0 else { return (0, 0) }
            // The oldest waiting entry: the first pending one, else the first after the last delivered.
            var oldest: String?
            if (values["pending"]?.int ?? 0) > 0 {
                let summary = try await redis.send(["XPENDING", RedisArgument(key), RedisArgument(group)])
                oldest = summary.array.flatMap { $0.count > 1 ? $0[1].string : nil }
            } else if let delivered = values["last-delivered-id"]?.string {
                let next = try await redis.send(["XRANGE", RedisArgument(key), RedisArgument("(" + delivered), "+", "COUNT", "1"])
                oldest = next.array?.first?.array?.first?.string
            }
            let milliseconds = oldest.flatMap { Double($0.prefix { $0 != "-" }) } ?? Date().timeIntervalSince1970 * 1000
            return (waiting, max(0, Date().timeIntervalSince1970 - milliseconds / 1000))
        }
        return (0, 0)
    }

    private static func event(_ entry: RedisStreamEntry) -> StreamedEvent? {
        // A pending entry trimmed from the stream has no fields: nothing to handle, and acknowledging it is harmless.
        StreamedEvent(entry: entry.id, json: entry["event"] ?? ByteBuffer())
    }
}
