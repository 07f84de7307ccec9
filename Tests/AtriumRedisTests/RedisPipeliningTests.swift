import AtriumRedis
import NIOCore
import Testing

struct RedisPipeliningTests {
    @Test func tenThousandConcurrentCommandsGetTheirOwnReplies() async throws {
        try await TestRedis.withClient { client, prefix in
            let count = 10_000
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let key = prefix + "p\(index)"
                        try await client.set(key, to: RedisArgument("value-\(index)"))
                        let value = try await client.getString(key)
                        #expect(value == "value-\(index)")
                        let echo = try await client.send(["ECHO", RedisArgument("echo-\(index)")])
                        #expect(echo.string == "echo-\(index)")
                    }
                }
                try await group.waitForAll()
            }
            // INCR from many tasks: every reply distinct, and the final count exact.
            let replies = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<count { group.addTask { try await client.incr(prefix + "counter") } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(Set(replies) == Set(1...count))
            #expect(client.statistics.commandsInFlight == 0)
        }
    }
}
