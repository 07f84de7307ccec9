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
    func send(_ arguments: [RedisArgument], replyCount: Int = 1) -> EventLoopFuture<RESPValue> {
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
            timeout: self.configuration.commandTimeout
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

    /// Connects, then sends `AUTH` (when a password is set) and `SELECT` (when the database is not 0).
    /// - Parameters:
    ///   - configuration: Where to connect.
    ///   - eventLoop: The event loop (or group) the channel runs on.
    ///   - logger: For connection-level logs.
    ///   - pushHandler: For a pub/sub connection, receives `message`/`pmessage` pushes.
    /// - Returns: A future failing with ``RedisError`` `.unavailable` if Redis cannot be reached or refuses the handshake.
    static func connect(
        configuration: RedisConfiguration,
        eventLoop: any EventLoopGroup,
        logger: Logger,
        pushHandler: (@Sendable (RESPValue) -> Void)? = nil
    ) -> EventLoopFuture<RedisConnection> {
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RedisChannelHandler(pushHandler: pushHandler))
                }
            }
        let target = "\(configuration.host):\(configuration.port)"
        return bootstrap.connect(host: configuration.host, port: configuration.port)
            .flatMap { channel -> EventLoopFuture<RedisConnection> in
                let connection = RedisConnection(channel: channel, configuration: configuration)
                return connection.handshake().map { connection }.flatMapErrorThrowing { error in
                    channel.close(promise: nil)
                    throw error
                }
            }
            .flatMapErrorThrowing { error in
                logger.debug("Redis connect failed", metadata: ["redis.target": "\(target)", "error": "\(String(reflecting: error))"])
                if let redisError = error as? RedisError, redisError.code == .serverError {
                    throw RedisError(.unavailable, "Redis at \(target) refused the connection handshake (\(redisError.message))")
                }
                throw RedisError(.unavailable, "Redis at \(target) is unreachable", underlying: error)
            }
    }

    private func handshake() -> EventLoopFuture<Void> {
        var future = self.channel.eventLoop.makeSucceededVoidFuture()
        if let password = self.configuration.password {
            let auth: [RedisArgument] = ["AUTH"] + (self.configuration.username.map { [RedisArgument($0)] } ?? []) + [RedisArgument(password)]
            future = future.flatMap { self.send(auth).flatMapThrowing(Self.expectOK) }
        }
        if self.configuration.database != 0 {
            let select: [RedisArgument] = ["SELECT", RedisArgument(self.configuration.database)]
            future = future.flatMap { self.send(select).flatMapThrowing(Self.expectOK) }
        }
        return future
    }

    private static func expectOK(_ value: RESPValue) throws {
        if case .error(let message) = value { throw RedisError(.serverError, message) }
    }
}
