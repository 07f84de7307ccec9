import Logging
import NIOCore
import NIOPosix

/// One TCP connection to Redis with pipelining: many commands in flight, replies matched in order.
///
/// Created with ``connect(configuration:eventLoop:logger:pushHandler:)``, which also sends `AUTH` and `SELECT`.
final class RedisConnection: Sendable {
    /// The NIO channel.
    let channel: any Channel
    private let configuration: RedisConfiguration
    /// Whether a flush task is queued on the event loop (see ``enqueue(_:)``).
    private let flushScheduled: NIOLoopBoundBox<Bool>

    private init(channel: any Channel, configuration: RedisConfiguration) {
        self.channel = channel
        self.configuration = configuration
        self.flushScheduled = .makeBoxSendingValue(false, eventLoop: channel.eventLoop)
    }

    /// `true` while the channel is open.
    var isActive: Bool { self.channel.isActive }

    /// Completes when the channel has closed.
    var closeFuture: EventLoopFuture<Void> { self.channel.closeFuture }

    /// Closes the channel; pending commands fail with `.connectionClosed`.
    func close() {
        self.channel.close(promise: nil)
    }

    /// Sends a command. The future gets the raw reply (error replies included, as `.error`),
    /// or fails with a ``RedisError`` (`.timeout`, `.connectionClosed`, `.protocolError`).
    /// - Parameters:
    ///   - arguments: The command and its arguments.
    ///   - replyCount: How many replies the command produces; more than one yields an array of them.
    ///   - timeout: How long the reply may take; `commandTimeout` when `nil`.
    func send(_ arguments: [RedisArgument], replyCount: Int = 1, timeout: TimeAmount? = nil) -> EventLoopFuture<RESPValue> {
        let promise = self.channel.eventLoop.makePromise(of: RESPValue.self)
        let encoded: ByteBuffer
        do {
            encoded = try RedisCommandEncoder.encode(arguments, allocator: self.channel.allocator)
        } catch {
            promise.fail(error)
            return promise.futureResult
        }
        let request = RedisRequest(
            encoded: encoded,
            replyCount: replyCount,
            promise: promise,
            timeout: timeout ?? self.configuration.commandTimeout
        )
        if self.channel.eventLoop.inEventLoop {
            self.enqueue(request)
        } else {
            self.channel.eventLoop.execute { self.enqueue(request) }
        }
        return promise.futureResult
    }

    /// On the event loop: writes `request`, and schedules one flush for every write queued on the loop until it runs.
    ///
    /// Concurrent callers' commands arrive as separate event-loop tasks; flushing each one would cost a `writev` (and a
    /// read on Redis' side) per command. The flush task runs after the writes already queued, so they share it.
    private func enqueue(_ request: RedisRequest) {
        // A write to a closed channel fails at the pipeline head and never reaches the handler.
        self.channel.write(request).whenFailure { error in
            request.promise.fail(RedisError(.connectionClosed, "The connection to Redis is closed", underlying: error))
        }
        guard !self.flushScheduled.value else { return }
        self.flushScheduled.value = true
        self.channel.eventLoop.execute {
            self.flushScheduled.value = false
            self.channel.flush()
        }
    }

    /// Sends many commands in one write and one flush; the futures complete in order.
    /// - Parameter commands: The commands.
    func sendBatch(_ commands: [[RedisArgument]]) -> [EventLoopFuture<RESPValue>] {
        var requests: [RedisRequest] = []
        var futures: [EventLoopFuture<RESPValue>] = []
        requests.reserveCapacity(commands.count)
        futures.reserveCapacity(commands.count)
        for command in commands {
            let promise = self.channel.eventLoop.makePromise(of: RESPValue.self)
            futures.append(promise.futureResult)
            do {
                let encoded = try RedisCommandEncoder.encode(command, allocator: self.channel.allocator)
                requests.append(RedisRequest(encoded: encoded, replyCount: 1, promise: promise, timeout: self.configuration.commandTimeout))
            } catch {
                promise.fail(error)
            }
        }
        let channel = self.channel
        let batch = requests
        channel.eventLoop.execute {
            for request in batch {
                channel.write(request).whenFailure { error in
                    request.promise.fail(RedisError(.connectionClosed, "The connection to Redis is closed", underlying: error))
                }
            }
            channel.flush()
        }
        return futures
    }

    // MARK: - Connecting

    /// Connects, then sends `AUTH` (when a password is set), `SELECT` (when the database is not 0) and `PING`, all
    /// within `connectTimeout`: a connection is only handed out once Redis has answered on it.
    /// - Parameters:
    ///   - configuration: Where to connect.
    ///   - eventLoop: The event loop (or group) the channel runs on.
    ///   - logger: For connection-level logs.
    ///   - pushHandler: For a pub/sub connection, receives `message`/`pmessage` pushes.
    ///   - onTimeout: Told when a command on this connection times out.
    /// - Returns: A future failing with ``RedisError`` `.unavailable` if Redis cannot be reached, does not answer in
    ///   time, or refuses the handshake.
    static func connect(
        configuration: RedisConfiguration,
        eventLoop: any EventLoopGroup,
        logger: Logger,
        pushHandler: (@Sendable (RESPValue) -> Void)? = nil,
        onTimeout: (@Sendable (RedisError) -> Void)? = nil
    ) -> EventLoopFuture<RedisConnection> {
        let deadline = NIODeadline.now() + configuration.connectTimeout
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RedisChannelHandler(pushHandler: pushHandler, onTimeout: onTimeout))
                }
            }
        let target = "\(configuration.host):\(configuration.port)"
        return bootstrap.connect(host: configuration.host, port: configuration.port)
            .flatMap { channel -> EventLoopFuture<RedisConnection> in
                let connection = RedisConnection(channel: channel, configuration: configuration)
                return connection.handshake(deadline: deadline).map { connection }.flatMapErrorThrowing { error in
                    channel.close(promise: nil)
                    throw error
                }
            }
            .flatMapErrorThrowing { error in
                logger.debug("Redis connect failed", metadata: ["redis.target": "\(target)", "error": "\(String(reflecting: error))"])
                guard let redisError = error as? RedisError else {
                    throw RedisError(.unavailable, "Redis at \(target) is unreachable", underlying: error)
                }
                switch redisError.code {
                case .serverError:
                    throw RedisError(.unavailable, "Redis at \(target) refused the connection handshake (\(redisError.message))")
                case .timeout:
                    let milliseconds = configuration.connectTimeout.nanoseconds / 1_000_000
                    throw RedisError(.unavailable, "Redis at \(target) did not answer within \(milliseconds) ms", underlying: error)
                default:
                    throw RedisError(.unavailable, "Redis at \(target) is unreachable", underlying: error)
                }
            }
    }

    /// `AUTH`, `SELECT` and `PING`, pipelined, each answered before `deadline`.
    private func handshake(deadline: NIODeadline) -> EventLoopFuture<Void> {
        var commands: [[RedisArgument]] = []
        if let password = self.configuration.password {
            commands.append(["AUTH"] + (self.configuration.username.map { [RedisArgument($0)] } ?? []) + [RedisArgument(password)])
        }
        if self.configuration.database != 0 {
            commands.append(["SELECT", RedisArgument(self.configuration.database)])
        }
        commands.append(["PING"])
        let timeout = max(deadline - .now(), .milliseconds(1))
        let replies = commands.map { self.send($0, timeout: timeout) }
        // All outcomes, not the first failure: a timeout fails the commands behind it as `.connectionClosed` first.
        return EventLoopFuture.whenAllComplete(replies, on: self.channel.eventLoop).flatMapThrowing { outcomes in
            let errors = outcomes.compactMap { outcome -> (any Error)? in
                switch outcome {
                case .success(.error(let message)): RedisError(.serverError, message)
                case .success: nil
                case .failure(let error): error
                }
            }
            if let error = errors.first(where: { ($0 as? RedisError)?.code == .timeout }) ?? errors.first { throw error }
        }
    }
}
