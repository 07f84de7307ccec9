import AtriumRedis
import NIOCore
import Testing

struct RedisBinaryTests {
    @Test func bytesWithNULAndCRLFRoundTrip() async throws {
        try await TestRedis.withClient { client, prefix in
            let value: [UInt8] = [0, 13, 10, 0, 255, 36, 42, 13, 10, 13, 10, 0]
            try await client.set(prefix + "bin", to: RedisArgument(bytes: value))
            #expect(try await client.get(prefix + "bin").map { Array($0.readableBytesView) } == value)
            // Binary keys too.
            let key = RedisArgument(bytes: Array((prefix + "\0\r\nkey").utf8))
            try await client.send(["SET", key, RedisArgument(bytes: value)])
            #expect(try await client.send(["GET", key]).bytes == value)
        }
    }

    @Test func emptyValue() async throws {
        try await TestRedis.withClient { client, prefix in
            try await client.set(prefix + "empty", to: RedisArgument(bytes: []))
            let value = try await client.get(prefix + "empty")
            #expect(value != nil)
            #expect(value?.readableBytes == 0)
        }
    }

    @Test func oneMegabyteValue() async throws {
        try await TestRedis.withClient { client, prefix in
            var generator = SystemRandomNumberGenerator()
            let value = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try await client.set(prefix + "big", to: RedisArgument(bytes: value))
            let read = try await client.get(prefix + "big")
            #expect(read?.readableBytes == 1 << 20)
            #expect(read.map { Array($0.readableBytesView) } == value)
        }
    }
}
