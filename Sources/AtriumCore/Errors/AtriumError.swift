/// The domain's error: a stable code, a message that is safe to show a client, and the underlying
/// cause for the logs.
///
/// The HTTP layer maps ``Code`` to a status and to Twenty's error body, once, at the edge.
/// Internal details (SQL text, server messages) go in ``underlying`` and are never sent to clients.
///
/// ```swift
/// throw AtriumError(.notFound, "Record \(id) not found")
/// ```
public struct AtriumError: Error, Sendable, CustomStringConvertible {
    /// A stable, documented error code. New codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case badRequest = "bad_request"
            case validationFailed = "validation_failed"
            case unauthenticated = "unauthenticated"
            case forbidden = "forbidden"
            case notFound = "not_found"
            case conflict = "conflict"
            case invalidReference = "invalid_reference"
            case unavailable = "unavailable"
            case timeout = "timeout"
            case rateLimited = "rate_limited"
            case retryable = "retryable"
            case internalError = "internal_error"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The snake_case name of the code, as it rides along in error bodies.
        public var description: String { base.rawValue }

        /// The request is malformed (bad JSON, unknown parameter, bad cursor).
        public static let badRequest = Code(.badRequest)
        /// A value does not satisfy its field's type or constraints.
        public static let validationFailed = Code(.validationFailed)
        /// No valid credentials were presented.
        public static let unauthenticated = Code(.unauthenticated)
        /// The caller is known but not allowed to do this.
        public static let forbidden = Code(.forbidden)
        /// The addressed record, object or route does not exist (or is invisible to the caller).
        public static let notFound = Code(.notFound)
        /// A uniqueness rule was violated.
        public static let conflict = Code(.conflict)
        /// A relation points at a record that does not exist.
        public static let invalidReference = Code(.invalidReference)
        /// A dependency (PostgreSQL, Redis) is not reachable.
        public static let unavailable = Code(.unavailable)
        /// The operation took longer than allowed.
        public static let timeout = Code(.timeout)
        /// The caller sent more requests than its rate limit allows.
        public static let rateLimited = Code(.rateLimited)
        /// A serialization failure or deadlock: the same request may succeed if retried.
        public static let retryable = Code(.retryable)
        /// A bug or an unexpected failure. Details are logged, never sent.
        public static let internalError = Code(.internalError)
    }

    /// What kind of failure this is.
    public var code: Code
    /// A message that is safe to send to a client.
    public var message: String
    /// Why the same request can succeed if made again, when it can (``RetryPolicy`` acts on it); nil otherwise.
    public var retryReason: RetryReason?
    /// The underlying error, for logs only.
    public var underlying: (any Error)?
    /// Where the error was created.
    public var file: String
    /// Where the error was created.
    public var line: Int

    /// Creates an error.
    /// - Parameters:
    ///   - code: The stable code.
    ///   - message: A client-safe message.
    ///   - retryReason: Why a new attempt can succeed, if it can.
    ///   - underlying: The cause, kept for logs.
    public init(
        _ code: Code, _ message: String, retryReason: RetryReason? = nil, underlying: (any Error)? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.retryReason = retryReason
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    public var description: String { "\(code): \(message)" }
}

/// Why a failed request can succeed if made again (see ``RetryPolicy``).
public enum RetryReason: Sendable, Equatable {
    /// Its statement met a table, column or type that a concurrent metadata change renamed or dropped after the
    /// request took its metadata snapshot: it can succeed with the current snapshot.
    case dataModelChanged
    /// It lost a deadlock or a serialization conflict to another transaction, which rolled it back.
    case concurrencyConflict
    /// Its database connection was lost or refused (PostgreSQL restarting, a stale pooled connection). A write may
    /// have committed before the loss, so only requests that only read are made again.
    case connectionLost
}
