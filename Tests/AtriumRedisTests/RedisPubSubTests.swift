import AtriumRedis
import NIOCore
import Testing

struct RedisPubSubTests {
    /// A client's subscriptions are live (a stretch number) once in place, not while their connection is gone, and
    /// live again under a new number once restored: whoever relies on every message knows when some may be missed.
    @Test(.timeLimit(.minutes(1)))
    func theSubscriptionStretchEndsWithTheConnectionAndANewOneBeginsWhenRestored() async throws {
        let server = try await RedisServerProcess.started()
        defer { server.kill() }
        let port = server.port
        var configuration = RedisConfiguration(host: "127.0.0.1", port: port, commandTimeout: .seconds(2), connectTimeout: .seconds(1))
        configuration.maximumReconnectDelay = .milliseconds(100)
        let client = RedisClient(configuration: configuration, logger: TestRedis.logger)
        /// The stretch once `done` holds of it (polling for at most 10 s).
        @Sendable func stretch(until done: (UInt64?) -> Bool) async throws -> UInt64? {
            for _ in 0..<1000 where !done(client.subscriptionStretch) { try await Task.sleep(for: .milliseconds(10)) }
            return client.subscriptionStretch
        }
        try await TestRedis.withRunning(client) { client in
            #expect(client.subscriptionStretch == nil, "nothing subscribed")
            // The server has just started: on a loaded machine the client's first connect may still be under way.
            let subscription = try await RedisCircuitBreakerTests.eventually(within: .seconds(10)) { try await client.subscribe(to: ["stretch"]) }
            let first = try #require(try await stretch { $0 != nil })
            server.kill()
            #expect(try await stretch { $0 == nil } == nil, "the connection is gone: messages may be missed")
            try await server.start()
            let second = try #require(try await stretch { $0 != nil })
            #expect(second != first, "a new stretch: messages may have been missed in between")
            // The commands' connection comes back on its own schedule (the circuit's probe).
            try await RedisCircuitBreakerTests.eventually(within: .seconds(10)) { try await client.publish("after", to: "stretch") }
            var messages = subscription.makeAsyncIterator()
            #expect(await messages.next()?.payloadString == "after")
        }
    }

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
