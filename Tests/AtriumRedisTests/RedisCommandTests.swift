import AtriumRedis
import NIOCore
import Testing

/// Typed helpers against the real Redis of `REDIS_URL`.
struct RedisCommandTests {
    @Test func pingAndStatistics() async throws {
        try await TestRedis.withClient { client, _ in
            try await client.ping()
            let statistics = client.statistics
            #expect(statistics.totalCommands >= 1)
            #expect(statistics.openConnections >= 1)
            #expect(statistics.commandsInFlight == 0)
        }
    }

    @Test func getSetWithOptions() async throws {
        try await TestRedis.withClient { client, prefix in
            let key = prefix + "k"
            #expect(try await client.get(key) == nil)
            #expect(try await client.set(key, to: "v1"))
            #expect(try await client.getString(key) == "v1")
            #expect(try await client.set(key, to: "v2", condition: .ifNotExists) == false)
            #expect(try await client.set(prefix + "missing", to: "x", condition: .ifExists) == false)
            #expect(try await client.set(key, to: "v3", expiration: .seconds(100), condition: .ifExists))
            #expect(try await client.send(["TTL", RedisArgument(key)]).int ?? 0 > 90)
            try await client.set(key, to: "v4", expiration: .milliseconds(100_000))
            #expect(try await client.send(["PTTL", RedisArgument(key)]).int ?? 0 > 90_000)
            #expect(try await client.expire(key, seconds: 50))
            #expect(try await client.expire(prefix + "missing", seconds: 50) == false)
        }
    }

    @Test func msetMgetDelIncr() async throws {
        try await TestRedis.withClient { client, prefix in
            try await client.mset([(prefix + "a", "1"), (prefix + "b", RedisArgument(bytes: [0, 1]))])
            let values = try await client.mget([prefix + "a", prefix + "nope", prefix + "b"])
            #expect(values == [ByteBuffer(string: "1"), nil, ByteBuffer(bytes: [0, 1])])
            #expect(try await client.incr(prefix + "a") == 2)
            #expect(try await client.incr(prefix + "counter") == 1)
            #expect(try await client.del([prefix + "a", prefix + "b", prefix + "nope"]) == 2)
        }
    }

    @Test func serverErrorsAreThrownWithTheirMessage() async throws {
        try await TestRedis.withClient { client, prefix in
            try await client.set(prefix + "s", to: "text")
            await #expect {
                try await client.incr(prefix + "s")
            } throws: { error in
                guard let error = error as? RedisError else { return false }
                return error.code == .serverError && error.message.contains("not an integer")
            }
            // The connection is still aligned afterwards.
            #expect(try await client.getString(prefix + "s") == "text")
            #expect(client.statistics.totalFailures >= 1)
        }
    }

    @Test func scripting() async throws {
        try await TestRedis.withClient { client, prefix in
            let script = "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])"
            #expect(try await client.eval(script, keys: [prefix + "lua"], arguments: ["x"]).string == "x")
            let sha = try await client.scriptLoad(script)
            #expect(try await client.evalsha(sha, keys: [prefix + "lua"], arguments: ["y"]).string == "y")
            await #expect {
                try await client.evalsha(String(repeating: "0", count: 40))
            } throws: { error in
                (error as? RedisError)?.message.hasPrefix("NOSCRIPT") == true
            }
        }
    }

    @Test func genericSendWithBuffers() async throws {
        try await TestRedis.withClient { client, prefix in
            try await client.send([ByteBuffer(string: "SET"), ByteBuffer(string: prefix + "g"), ByteBuffer(bytes: [1, 2, 3])])
            #expect(try await client.send(["GET", RedisArgument(prefix + "g")]).bytes == [1, 2, 3])
            #expect(try await client.send(["ECHO", "hi"]) == .bulkString(ByteBuffer(string: "hi")))
        }
    }
}
