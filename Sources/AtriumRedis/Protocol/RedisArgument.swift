import NIOCore

/// One binary-safe argument of a Redis command.
///
/// Strings and integer literals convert implicitly: `client.send(["SET", "k", "v"])`.
public struct RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// The raw bytes sent to Redis.
    public var bytes: [UInt8]

    /// An argument with the given bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }
    /// An argument with the UTF-8 bytes of `string`.
    public init(_ string: String) { self.bytes = Array(string.utf8) }
    /// An argument with the readable bytes of `buffer`.
    public init(_ buffer: ByteBuffer) { self.bytes = Array(buffer.readableBytesView) }
    /// An argument with the decimal form of `integer`.
    public init(_ integer: Int) { self.bytes = Array(String(integer).utf8) }
    /// An argument with the decimal form of `double`.
    public init(_ double: Double) { self.bytes = Array(String(double).utf8) }

    /// A string literal argument.
    public init(stringLiteral value: String) { self.init(value) }
    /// An integer literal argument.
    public init(integerLiteral value: Int) { self.init(value) }
}
