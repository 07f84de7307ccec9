import AtriumCore
import AtriumRedis

/// Token buckets kept in Redis, each changed by one Lua script run: refill by the time elapsed (Redis' clock, so
/// every instance agrees), then take up to the tokens asked for.
struct TokenBucket: Sendable {
    let redis: RedisClient

    /// What one take gave.
    struct Grant: Sendable, Equatable {
        /// Tokens taken (0 when the bucket is empty).
        var granted: Int
        /// Whole tokens left in the bucket.
        var remaining: Int
        /// Milliseconds until the next token.
        var retryAfterMilliseconds: Int
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

    /// Takes up to `count` tokens from the bucket `key` of `capacity` tokens refilled over `window`.
    func take(_ count: Int, from key: String, capacity: Int, window: Duration) async throws -> Grant {
        let perMillisecond = Double(capacity) / max(1, window.milliseconds)
        let reply = try await redis.eval(Self.script, keys: [key], arguments: [
            RedisArgument(capacity), RedisArgument(String(perMillisecond)), RedisArgument(count),
        ])
        guard let values = reply.array, values.count == 3, let granted = values[0].int, let remaining = values[1].int,
              let wait = values[2].int
        else {
            throw RedisError(.unexpectedReply, "the rate-limit script returned \(reply)")
        }
        return Grant(granted: granted, remaining: remaining, retryAfterMilliseconds: wait)
    }
}
