import AtriumRedis
import NIOCore
import Testing

struct RedisStreamTests {
    @Test func groupReadAckAndAutoclaim() async throws {
        try await TestRedis.withClient { client, prefix in
            let stream = prefix + "events"
            #expect(try await client.xgroupCreate(stream, group: "workers", startID: "0"))
            #expect(try await client.xgroupCreate(stream, group: "workers", startID: "0") == false)
            await #expect {
                try await client.xgroupCreate(stream, group: "workers", ignoreExisting: false)
            } throws: { error in
                (error as? RedisError)?.message.hasPrefix("BUSYGROUP") == true
            }

            let first = try await client.xadd(stream, fields: [("type", "created"), ("body", RedisArgument(bytes: [0, 13, 10]))])
            let second = try await client.xadd(stream, fields: [("type", "updated")], approximateMaxLength: 1000)

            let read = try await client.xreadgroup(group: "workers", consumer: "a", streams: [(stream, ">")], count: 10)
            #expect(read.count == 1)
            #expect(read.first?.stream == stream)
            #expect(read.first?.entries.map(\.id) == [first, second])
            #expect(read.first?.entries.first?["body"] == ByteBuffer(bytes: [0, 13, 10]))
            #expect(read.first?.entries.last?["type"] == ByteBuffer(string: "updated"))

            #expect(try await client.xreadgroup(group: "workers", consumer: "a", streams: [(stream, ">")], blockMilliseconds: 10).isEmpty)
            #expect(try await client.xack(stream, group: "workers", ids: [first]) == 1)

            let claimed = try await client.xautoclaim(stream, group: "workers", consumer: "b", minIdleMilliseconds: 0)
            #expect(claimed.entries.map(\.id) == [second])
            #expect(claimed.nextStart == "0-0")
            #expect(claimed.deletedIDs.isEmpty)
        }
    }
}
