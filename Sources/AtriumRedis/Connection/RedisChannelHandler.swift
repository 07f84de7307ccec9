import NIOCore

/// Writes ``RedisRequest``s and matches replies to them in order (pipelining), decoding with hiredis.
///
/// Owns the hiredis reader; it is created inside the channel initializer and never leaves its event loop.
/// Every pending promise is failed when a write fails, the channel closes, an error is caught, Redis sends invalid RESP,
/// or a command times out (the connection is then closed, since later replies would be misaligned).
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var id: UInt64
        var promise: EventLoopPromise<RESPValue>
        var remaining: Int
        var collected: [RESPValue]
        var deadline: NIODeadline?
        var timeout: TimeAmount?
    }

    private let reader: RedisReplyReader
    private let pushHandler: (@Sendable (RESPValue) -> Void)?
    private let onTimeout: (@Sendable (RedisError) -> Void)?
    private var pending = CircularBuffer<Pending>(initialCapacity: 64)
    private var nextID: UInt64 = 0
    /// One timer per connection, not one per command: cancelling NIO scheduled tasks is linear in their number.
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    /// Set once the connection is unusable; later writes fail with it.
    private var failure: RedisError?

    /// Creates a handler.
    /// - Parameters:
    ///   - pushHandler: For a pub/sub connection, receives `message` and `pmessage` pushes (on the event loop).
    ///   - onTimeout: Told of a command timeout (after the connection is closed), so the client's circuit opens.
    init(pushHandler: (@Sendable (RESPValue) -> Void)? = nil, onTimeout: (@Sendable (RedisError) -> Void)? = nil) {
        self.reader = RedisReplyReader()
        self.pushHandler = pushHandler
        self.onTimeout = onTimeout
    }

    // MARK: - Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = self.unwrapOutboundIn(data)
        if let failure = self.failure {
            request.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        self.nextID &+= 1
        let id = self.nextID
        let deadline = request.timeout.map { context.eventLoop.now + $0 }
        self.pending.append(
            Pending(id: id, promise: request.promise, remaining: max(1, request.replyCount), collected: [], deadline: deadline,
                    timeout: request.timeout)
        )
        if let deadline { self.armTimer(for: deadline, context: context) }
        // A failed write leaves the reply stream misaligned: close, which fails every pending promise.
        let writePromise = context.eventLoop.makePromise(of: Void.self)
        let channel = context.channel
        writePromise.futureResult.whenFailure { _ in channel.close(promise: nil) }
        if let promise { writePromise.futureResult.cascade(to: promise) }
        context.write(self.wrapOutboundOut(request.encoded), promise: writePromise)
    }

    // MARK: - Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = self.unwrapInboundIn(data)
        do {
            try self.reader.feed(bytes)
            while let value = try self.reader.next() {
                try self.dispatch(value)
            }
        } catch {
            let redisError = error as? RedisError ?? RedisError(.protocolError, "Invalid reply from Redis", underlying: error)
            self.failAll(redisError)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.failAll(RedisError(.connectionClosed, "The connection to Redis closed before the reply arrived"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.failAll(RedisError(.connectionClosed, "The connection to Redis failed", underlying: error))
        context.close(promise: nil)
    }

    // MARK: - Matching

    private func dispatch(_ value: RESPValue) throws {
        if let pushHandler = self.pushHandler, Self.isPush(value) {
            pushHandler(value)
            return
        }
        guard !self.pending.isEmpty else {
            throw RedisError(.protocolError, "Redis sent a reply no command was waiting for")
        }
        if self.pending[self.pending.startIndex].remaining == 1 {
            // The common case: this reply completes the oldest command.
            let done = self.pending.removeFirst()
            done.promise.succeed(done.collected.isEmpty ? value : .array(done.collected + [value]))
            return
        }
        self.pending[self.pending.startIndex].collected.append(value)
        self.pending[self.pending.startIndex].remaining -= 1
    }

    /// `message` and `pmessage` arrays on a subscribed connection.
    private static func isPush(_ value: RESPValue) -> Bool {
        guard case .array(let items) = value, let kind = items.first?.string else { return false }
        return (kind == "message" && items.count == 3) || (kind == "pmessage" && items.count == 4)
    }

    // MARK: - Timeouts

    /// Makes sure the timer fires no later than `deadline`.
    private func armTimer(for deadline: NIODeadline, context: ChannelHandlerContext) {
        if let armed = self.timerDeadline, armed <= deadline { return }
        self.timer?.cancel()
        self.timerDeadline = deadline
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            self.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        self.timer = nil
        self.timerDeadline = nil
        let now = context.eventLoop.now
        if let index = self.pending.firstIndex(where: { $0.deadline.map { $0 <= now } ?? false }) {
            let expired = self.pending.remove(at: index)
            let milliseconds = (expired.timeout ?? .zero).nanoseconds / 1_000_000
            // Close first, so nobody is handed this connection once the caller learns of the timeout.
            self.failAll(RedisError(.connectionClosed, "The connection to Redis was closed after another command timed out"))
            context.close(promise: nil)
            let error = RedisError(.timeout, "Redis did not reply within \(milliseconds) ms; the connection was closed")
            self.onTimeout?(error)
            expired.promise.fail(error)
            return
        }
        if let next = self.pending.lazy.compactMap(\.deadline).min() {
            self.armTimer(for: next, context: context)
        }
    }

    private func failAll(_ error: RedisError) {
        if self.failure == nil { self.failure = error }
        self.timer?.cancel()
        self.timer = nil
        self.timerDeadline = nil
        while let entry = self.pending.popFirst() {
            entry.promise.fail(error)
        }
    }
}
