/// The error thrown by `AtriumRedis`.
///
/// `message` is safe to show to clients (it never contains values or credentials); details for logs live in `underlying`,
/// which `String(reflecting:)` includes.
public struct RedisError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// A stable category of ``RedisError``. New codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case connectionClosed = "redis_connection_closed"
            case timeout = "redis_timeout"
            case serverError = "redis_server_error"
            case protocolError = "redis_protocol_error"
            case invalidURL = "redis_invalid_url"
            case unavailable = "redis_unavailable"
            case unexpectedReply = "redis_unexpected_reply"
            case shutdown = "redis_shutdown"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The connection closed (or was closed) before the reply arrived. The command may or may not have run.
        public static let connectionClosed = Code(.connectionClosed)
        /// No reply within `RedisConfiguration.commandTimeout`. The connection is closed, as later replies would be misaligned.
        public static let timeout = Code(.timeout)
        /// Redis answered with an error reply; `message` holds it (e.g. `WRONGTYPE …`, `BUSYGROUP …`).
        public static let serverError = Code(.serverError)
        /// Redis sent bytes that are not valid RESP, or a reply nobody asked for.
        public static let protocolError = Code(.protocolError)
        /// `REDIS_URL` could not be parsed.
        public static let invalidURL = Code(.invalidURL)
        /// Redis could not be reached (connect failed or timed out, or `RedisClient.run()` is not running).
        public static let unavailable = Code(.unavailable)
        /// Redis answered with a reply of an unexpected shape for a typed helper.
        public static let unexpectedReply = Code(.unexpectedReply)
        /// The client has shut down (`RedisClient.run()` returned).
        public static let shutdown = Code(.shutdown)

        /// The stable snake_case identifier, e.g. `redis_timeout`.
        public var description: String { self.base.rawValue }
    }

    /// The category of the error.
    public var code: Code
    /// A client-safe message.
    public var message: String
    /// The underlying error, for logs.
    public var underlying: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The category.
    ///   - message: A client-safe message.
    ///   - underlying: The underlying error, if any.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// `code: message`.
    public var description: String { "\(self.code): \(self.message)" }

    /// `description` plus the underlying error.
    public var debugDescription: String {
        guard let underlying else { return self.description }
        return "\(self.description) (underlying: \(String(reflecting: underlying)))"
    }
}
