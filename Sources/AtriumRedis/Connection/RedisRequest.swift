import NIOCore

/// A command on its way to the channel: the encoded bytes and the promise its reply completes.
struct RedisRequest: Sendable {
    /// The RESP-encoded command.
    var encoded: ByteBuffer
    /// How many replies the command produces (`SUBSCRIBE a b` produces 2). With more than one, the promise gets an array.
    var replyCount: Int
    /// Completed with the reply (error replies included, as `.error`), or failed with a ``RedisError``.
    var promise: EventLoopPromise<RESPValue>
    /// Reply deadline, measured from the moment the handler writes the command; `nil` for none.
    var timeout: TimeAmount?
}
