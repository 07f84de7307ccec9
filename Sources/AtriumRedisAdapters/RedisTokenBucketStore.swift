import AtriumCore
import AtriumRedis

/// ``TokenBucketStore`` over Atrium's `RedisClient`: each bucket is a Redis hash changed by one Lua script run —
/// refill by the time elapsed (Redis' clock, so every instance agrees), then take up to the tokens asked for.
///
/// ```swift
/// let buckets = RedisTokenBucketStore(redis: redis)
/// let grant = try await buckets.take(1, from: "atrium:login:ip:10.0.0.1", capacity: 50, window: .seconds(900))
/// ```
public struct RedisTokenBucketStore: TokenBucketStore {
    let redis: RedisClient

    /// - Parameter redis: A client whose service runs in the same `ServiceGroup`.
    public init(redis: RedisClient) {
        self.redis = redis
    }

    static let script = """
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local want = tonumber(ARGV[3])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or capacity
        local at = tonumber(state[2]) or now
        if now > at then
          tokens = math.min(capacity, tokens + (now - at) * rate)
          at = now
        end
        local granted = math.min(want, math.floor(tokens))
        tokens = tokens - granted
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
        redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 1000)
        local wait = 0
        if tokens < 1 then wait = math.ceil((1 - tokens) / rate) end
        return {granted, math.floor(tokens), wait}
        """

    /// - Throws: `RedisError` when Redis cannot be reached or the script's reply is not what it returns.
    public func take(_ count: Int, from key: String, capacity: Int, window: Duration) async throws -> TokenBucketGrant {
        let perMillisecond = Double(capacity) / max(1, window.milliseconds)
        let reply = try await redis.eval(Self.script, keys: [key], arguments: [
            RedisArgument(capacity), RedisArgument(String(perMillisecond)), RedisArgument(count),
        ])
        guard let values = reply.array, values.count == 3, let granted = values[0].int, let remaining = values[1].int,
              let wait = values[2].int
        else {
            throw RedisError(.unexpectedReply, "the rate-limit script returned \(reply)")
        }
        return TokenBucketGrant(granted: granted, remaining: remaining, retryAfterMilliseconds: wait)
    }
}
