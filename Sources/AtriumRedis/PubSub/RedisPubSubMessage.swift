import NIOCore

/// A message received on a subscription.
public struct RedisPubSubMessage: Sendable, Hashable {
    /// The channel it was published to.
    public var channel: String
    /// The pattern that matched, for `psubscribe`; `nil` for `subscribe`.
    public var pattern: String?
    /// The published bytes, exactly.
    public var payload: ByteBuffer

    /// Creates a message.
    public init(channel: String, pattern: String? = nil, payload: ByteBuffer) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
    }

    /// The payload decoded as UTF-8.
    public var payloadString: String { String(buffer: self.payload) }

    /// Parses a `message` or `pmessage` push.
    init?(push: RESPValue) {
        guard case .array(let items) = push, let kind = items.first?.string else { return nil }
        switch (kind, items.count) {
        case ("message", 3):
            guard let channel = items[1].string, let payload = items[2].byteBuffer else { return nil }
            self.init(channel: channel, payload: payload)
        case ("pmessage", 4):
            guard let pattern = items[1].string, let channel = items[2].string, let payload = items[3].byteBuffer else { return nil }
            self.init(channel: channel, pattern: pattern, payload: payload)
        default:
            return nil
        }
    }
}
