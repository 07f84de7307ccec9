/// Token buckets shared by every Atrium process (Redis in production), as rate limits and login throttling need them.
///
/// AtriumCore states the port; `AtriumRedisAdapters` implements it (`RedisTokenBucketStore`). A bucket holds up to
/// `capacity` tokens and refills at `capacity` per `window`, by one clock every process agrees on.
public protocol TokenBucketStore: Sendable {
    /// Takes up to `count` tokens from the bucket `key` (created full on first use).
    /// - Throws: When the store is unreachable: callers decide whether to admit or refuse then.
    func take(_ count: Int, from key: String, capacity: Int, window: Duration) async throws -> TokenBucketGrant
}

/// What one take from a ``TokenBucketStore`` gave.
public struct TokenBucketGrant: Sendable, Equatable {
    /// Tokens taken (0 when the bucket is empty).
    public var granted: Int
    /// Whole tokens left in the bucket.
    public var remaining: Int
    /// Milliseconds until the next token.
    public var retryAfterMilliseconds: Int

    public init(granted: Int, remaining: Int, retryAfterMilliseconds: Int) {
        self.granted = granted
        self.remaining = remaining
        self.retryAfterMilliseconds = retryAfterMilliseconds
    }
}
