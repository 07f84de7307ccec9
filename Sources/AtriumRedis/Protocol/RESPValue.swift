import NIOCore

/// A decoded RESP2 reply from Redis.
///
/// Bulk strings are kept as `ByteBuffer`s, so binary values (including `0x00` and `\r\n`) round-trip exactly.
public enum RESPValue: Sendable, Hashable {
    /// A simple string (`+OK`).
    case simpleString(String)
    /// An error reply (`-ERR …`). `RedisClient` turns these into a thrown ``RedisError`` with code `.serverError`.
    case error(String)
    /// An integer reply (`:42`).
    case integer(Int)
    /// A bulk string (`$3\r\nfoo`), binary-safe.
    case bulkString(ByteBuffer)
    /// A null bulk string or null array (`$-1`, `*-1`).
    case null
    /// An array reply, possibly nested.
    case array([RESPValue])
}
