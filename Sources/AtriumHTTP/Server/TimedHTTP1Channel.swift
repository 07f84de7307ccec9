import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 channel, with ``HeaderReadTimeoutHandler`` at the head of every connection's pipeline.
struct TimedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let headerReadTimeout: TimeAmount

    var responder: HTTPChannelHandler.Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(HeaderReadTimeoutHandler(timeout: headerReadTimeout), position: .first)
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// An HTTP/1 server that closes a connection idle for `idleTimeout` (none open, or between requests) and one whose
    /// request head takes longer than `headerReadTimeout` to arrive.
    static func http1(idleTimeout: Duration, headerReadTimeout: Duration) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            TimedHTTP1Channel(
                base: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: .init(idleTimeout))),
                headerReadTimeout: .init(headerReadTimeout)
            )
        }
    }
}
