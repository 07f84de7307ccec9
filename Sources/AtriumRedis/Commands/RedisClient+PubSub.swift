// MARK: - Pub/sub

extension RedisClient {
    /// `PUBLISH channel message`.
    /// - Returns: How many subscribers received the message.
    @discardableResult
    public func publish(_ message: RedisArgument, to channel: String) async throws -> Int {
        try await self.integer(["PUBLISH", RedisArgument(channel), message])
    }

    /// `SUBSCRIBE channel…` on the dedicated pub/sub connection; restored automatically after reconnects.
    /// - Parameter channels: The channels (at least one).
    /// - Returns: The messages; end it with ``RedisSubscription/unsubscribe()`` or by cancelling the iterating task.
    /// - Throws: ``RedisError`` if the subscription could not be made.
    public func subscribe(to channels: [String]) async throws -> RedisSubscription {
        try await self.subscribe(channels: channels, patterns: [])
    }

    /// `PSUBSCRIBE pattern…` on the dedicated pub/sub connection; restored automatically after reconnects.
    /// - Parameter patterns: Glob-style patterns (at least one).
    /// - Returns: The messages, each with the matching ``RedisPubSubMessage/pattern``.
    public func psubscribe(to patterns: [String]) async throws -> RedisSubscription {
        try await self.subscribe(channels: [], patterns: patterns)
    }
}
