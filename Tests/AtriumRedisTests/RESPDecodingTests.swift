import NIOCore
import Testing

@testable import AtriumRedis

/// Offline tests of the hiredis reader wrapper and the RESP → `RESPValue` conversion.
struct RESPDecodingTests {
    private func decodeAll(_ chunks: [String]) throws -> [RESPValue] {
        let reader = RedisReplyReader()
        var values: [RESPValue] = []
        for chunk in chunks {
            try reader.feed(ByteBuffer(string: chunk))
            while let value = try reader.next() { values.append(value) }
        }
        return values
    }

    @Test func scalars() throws {
        let values = try self.decodeAll(["+OK\r\n-ERR bad thing\r\n:-42\r\n$3\r\nfoo\r\n$0\r\n\r\n$-1\r\n*-1\r\n"])
        #expect(
            values == [
                .simpleString("OK"), .error("ERR bad thing"), .integer(-42), .bulkString(ByteBuffer(string: "foo")),
                .bulkString(ByteBuffer()), .null, .null,
            ]
        )
    }

    @Test func nestedArraysWithNullsAndErrors() throws {
        let values = try self.decodeAll(["*3\r\n*2\r\n:1\r\n$-1\r\n*0\r\n*2\r\n-WRONGTYPE x\r\n*1\r\n+deep\r\n"])
        #expect(
            values == [
                .array([
                    .array([.integer(1), .null]),
                    .array([]),
                    .array([.error("WRONGTYPE x"), .array([.simpleString("deep")])]),
                ])
            ]
        )
    }

    @Test func repliesSplitAcrossReadsAtEveryByte() throws {
        let wire = "*2\r\n$5\r\nhe\r\no\r\n:7\r\n+PONG\r\n"
        let chunks = wire.map { String($0) }
        let values = try self.decodeAll(chunks)
        #expect(values == [.array([.bulkString(ByteBuffer(string: "he\r\no")), .integer(7)]), .simpleString("PONG")])
    }

    @Test func binaryBulkString() throws {
        let payload: [UInt8] = [0, 13, 10, 255, 0, 36]
        var wire = ByteBuffer(string: "$6\r\n")
        wire.writeBytes(payload)
        wire.writeString("\r\n")
        let reader = RedisReplyReader()
        try reader.feed(wire)
        #expect(try reader.next()?.bytes == payload)
        #expect(try reader.next() == nil)
    }

    @Test func incompleteReplyYieldsNothingYet() throws {
        let reader = RedisReplyReader()
        try reader.feed(ByteBuffer(string: "$10\r\nabc"))
        #expect(try reader.next() == nil)
        try reader.feed(ByteBuffer(string: "defghij\r\n"))
        #expect(try reader.next()?.string == "abcdefghij")
    }

    @Test func malformedInputIsAProtocolError() throws {
        let reader = RedisReplyReader()
        try? reader.feed(ByteBuffer(string: "?what\r\n"))
        #expect {
            _ = try reader.next()
        } throws: { error in
            (error as? RedisError)?.code == .protocolError
        }
    }

    @Test func encoderIsBinarySafe() throws {
        let encoded = try RedisCommandEncoder.encode(["SET", "k", RedisArgument(bytes: [0, 13, 10]), RedisArgument(bytes: [])])
        #expect(String(buffer: encoded) == "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\n\0\r\n\r\n$0\r\n\r\n")
    }
}
