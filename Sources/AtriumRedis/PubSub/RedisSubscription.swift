/// The messages of a `subscribe` or `psubscribe` call, as an `AsyncSequence`.
///
/// ```swift
/// let subscription = try await redis.subscribe(to: ["atrium:invalidate"])
/// for await message in subscription { handle(message.channel, message.payload) }
/// ```
/// The sequence survives reconnects: the client re-subscribes automatically (messages published while the
/// connection is down are lost, as always with Redis pub/sub). It ends when ``unsubscribe()`` is called, when the
/// iterating task is cancelled, or when the client shuts down. Messages are buffered without bound until consumed.
public struct RedisSubscription: AsyncSequence, Sendable {
    /// The element type.
    public typealias Element = RedisPubSubMessage

    private let stream: AsyncStream<RedisPubSubMessage>
    private let continuation: AsyncStream<RedisPubSubMessage>.Continuation

    init(stream: AsyncStream<RedisPubSubMessage>, continuation: AsyncStream<RedisPubSubMessage>.Continuation) {
        self.stream = stream
        self.continuation = continuation
    }

    /// Ends the sequence and unsubscribes from channels and patterns no other subscription uses.
    public func unsubscribe() {
        self.continuation.finish()
    }

    /// The iterator.
    public func makeAsyncIterator() -> AsyncStream<RedisPubSubMessage>.Iterator {
        self.stream.makeAsyncIterator()
    }
}
