import AtriumRedis
import NIOCore
import Testing

struct RedisPipeliningTests {
    @Test func tenThousandPipelinedCommandsReturnTheirRepliesInOrder() async throws {
        // Ordering, not latency, is under test: a debug build on 2 busy cores needs a while for 30,000 commands.
        try await TestRedis.withClient(configure: { $0.commandTimeout = .seconds(60) }) { client, prefix in
            let count = 10_000
            let sets = try await client.pipeline((0..<count).map { ["SET", RedisArgument(prefix + "p\($0)"), RedisArgument("value-\($0)")] })
            #expect(sets.count == count)
            #expect(sets.allSatisfy { (try? $0.get()) == .simpleString("OK") })

            let gets = try await client.pipeline((0..<count).map { ["GET", RedisArgument(prefix + "p\($0)")] })
            #expect(gets.enumerated().allSatisfy { index, result in (try? result.get())?.string == "value-\(index)" })

            let incrs = try await client.pipeline(Array(repeating: ["INCR", RedisArgument(prefix + "counter")], count: count))
            #expect(incrs.enumerated().allSatisfy { index, result in (try? result.get()) == .integer(index + 1) })

            // A server error inside a pipeline fails only its own command.
            let mixed = try await client.pipeline([["INCR", RedisArgument(prefix + "p0")], ["ECHO", "still aligned"]])
            #expect(throws: RedisError.self) { try mixed[0].get() }
            #expect(try mixed[1].get().string == "still aligned")
            #expect(client.statistics.commandsInFlight == 0)
        }
    }

    @Test func concurrentCallersEachGetTheirOwnReply() async throws {
        try await TestRedis.withClient(configure: { $0.commandTimeout = .seconds(60) }) { client, prefix in
            let count = 2_000
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let echo = try await client.send(["ECHO", RedisArgument("echo-\(index)")])
                        #expect(echo.string == "echo-\(index)")
                        try await client.set(prefix + "c\(index)", to: RedisArgument("value-\(index)"))
                        #expect(try await client.getString(prefix + "c\(index)") == "value-\(index)")
                    }
                }
                try await group.waitForAll()
            }
            let replies = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<count { group.addTask { try await client.incr(prefix + "counter") } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(Set(replies) == Set(1...count))
        }
    }
}
