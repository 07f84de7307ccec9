import AtriumRedis
import NIOCore
import Testing

struct RedisPubSubTests {
    @Test func subscribeReceivesExactPayloads() async throws {
        try await TestRedis.withClient { client, prefix in
            let channel = prefix + "news"
            let subscription = try await client.subscribe(to: [channel])
            let payloads: [[UInt8]] = [Array("hello".utf8), [0, 13, 10, 255], [], Array(repeating: 7, count: 100_000)]
            for payload in payloads {
                #expect(try await client.publish(RedisArgument(bytes: payload), to: channel) == 1)
            }
            var received: [RedisPubSubMessage] = []
            for await message in subscription {
                received.append(message)
                if received.count == payloads.count { break }
            }
            #expect(received.map(\.channel) == Array(repeating: channel, count: payloads.count))
            #expect(received.map { Array($0.payload.readableBytesView) } == payloads)
            #expect(received.allSatisfy { $0.pattern == nil })
            subscription.unsubscribe()
        }
    }

    @Test func patternSubscribe() async throws {
        try await TestRedis.withClient { client, prefix in
            let pattern = prefix + "ws:*"
            let subscription = try await client.psubscribe(to: [pattern])
            try await client.publish("one", to: prefix + "ws:1")
            try await client.publish("ignored", to: prefix + "other")
            try await client.publish("two", to: prefix + "ws:2")
            var received: [RedisPubSubMessage] = []
            for await message in subscription {
                received.append(message)
                if received.count == 2 { break }
            }
            #expect(received.map(\.channel) == [prefix + "ws:1", prefix + "ws:2"])
            #expect(received.map(\.payloadString) == ["one", "two"])
            #expect(received.allSatisfy { $0.pattern == pattern })
        }
    }

    @Test func twoSubscribersOfOneChannelAndUnsubscribe() async throws {
        try await TestRedis.withClient { client, prefix in
            let channel = prefix + "shared"
            let first = try await client.subscribe(to: [channel])
            let second = try await client.subscribe(to: [channel, prefix + "other"])
            try await client.publish("x", to: channel)
            var firstIterator = first.makeAsyncIterator()
            var secondIterator = second.makeAsyncIterator()
            #expect(await firstIterator.next()?.payloadString == "x")
            #expect(await secondIterator.next()?.payloadString == "x")
            first.unsubscribe()
            #expect(await firstIterator.next() == nil)
            // The channel stays subscribed for the second subscriber.
            try await client.publish("y", to: channel)
            #expect(await secondIterator.next()?.payloadString == "y")
        }
    }
}
