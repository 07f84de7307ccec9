import NIOCore
import NIOEmbedded
import Testing

@testable import AtriumRedis

/// Offline tests of reply matching, timeouts and failure handling, on an `EmbeddedChannel`.
struct RedisChannelHandlerTests {
    private func request(_ channel: EmbeddedChannel, _ command: [RedisArgument], timeout: TimeAmount? = nil)
        throws -> EventLoopFuture<RESPValue>
    {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let encoded = try RedisCommandEncoder.encode(command)
        try channel.writeOutbound(RedisRequest(encoded: encoded, replyCount: 1, promise: promise, timeout: timeout))
        return promise.futureResult
    }

    @Test func pipelinedRepliesMatchInOrderEvenWhenSplit() async throws {
        let channel = EmbeddedChannel(handler: RedisChannelHandler())
        let first = try self.request(channel, ["GET", "a"])
        let second = try self.request(channel, ["GET", "b"])
        let third = try self.request(channel, ["INCR", "c"])
        #expect(try channel.readOutbound(as: ByteBuffer.self).map { String(buffer: $0) } == "*2\r\n$3\r\nGET\r\n$1\r\na\r\n")
        try channel.writeInbound(ByteBuffer(string: "$1\r\nA\r\n$"))
        try channel.writeInbound(ByteBuffer(string: "-1\r\n:"))
        try channel.writeInbound(ByteBuffer(string: "5\r\n"))
        #expect(try await first.get() == .bulkString(ByteBuffer(string: "A")))
        #expect(try await second.get() == .null)
        #expect(try await third.get() == .integer(5))
        _ = try channel.finish()
    }

    @Test func closingFailsPendingCommands() async throws {
        let channel = EmbeddedChannel(handler: RedisChannelHandler())
        let pending = try self.request(channel, ["GET", "a"])
        _ = try? channel.finish()
        await #expect {
            try await pending.get()
        } throws: { error in
            (error as? RedisError)?.code == .connectionClosed
        }
    }

    @Test func timeoutFailsTheCommandAndClosesTheConnection() async throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(handler: RedisChannelHandler(), loop: loop)
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).get()
        let slow = try self.request(channel, ["BLPOP", "k", "0"], timeout: .milliseconds(100))
        let behind = try self.request(channel, ["GET", "k"], timeout: .seconds(10))
        loop.advanceTime(by: .milliseconds(150))
        await #expect {
            try await slow.get()
        } throws: { error in
            (error as? RedisError)?.code == .timeout
        }
        await #expect {
            try await behind.get()
        } throws: { error in
            (error as? RedisError)?.code == .connectionClosed
        }
        #expect(!channel.isActive)
    }

    @Test func unexpectedReplyIsAProtocolError() throws {
        let channel = EmbeddedChannel(handler: RedisChannelHandler())
        try channel.writeInbound(ByteBuffer(string: "+OK\r\n"))
        #expect(!channel.isActive)
    }

    @Test func pushesGoToThePushHandlerAndMultiReplyCommandsCollect() async throws {
        let received = PushBox()
        let channel = EmbeddedChannel(handler: RedisChannelHandler(pushHandler: { received.append($0) }))
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let encoded = try RedisCommandEncoder.encode(["SUBSCRIBE", "a", "b"])
        try channel.writeOutbound(RedisRequest(encoded: encoded, replyCount: 2, promise: promise, timeout: nil))
        try channel.writeInbound(
            ByteBuffer(string: "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n")
        )
        try channel.writeInbound(ByteBuffer(string: "*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n"))
        let reply = try await promise.futureResult.get()
        #expect(reply.array?.count == 2)
        #expect(received.values.map { RedisPubSubMessage(push: $0) } == [RedisPubSubMessage(channel: "a", payload: ByteBuffer(string: "hi"))])
        _ = try channel.finish()
    }
}

/// Collects pushes (the embedded loop delivers them on the test's thread).
private final class PushBox: @unchecked Sendable {
    var values: [RESPValue] = []
    func append(_ value: RESPValue) { self.values.append(value) }
}
