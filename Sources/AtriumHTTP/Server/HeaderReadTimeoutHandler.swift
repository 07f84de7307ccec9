import NIOCore

/// Closes a connection whose request head does not arrive in full within a bound of its first byte
/// (`HTTP_HEADER_READ_TIMEOUT_SECONDS`), so a client that trickles its headers cannot hold a connection.
///
/// It sits at the head of the pipeline and sees raw bytes: the first byte of a request arms a timer, and the blank line
/// that ends the head (CR LF CR LF) disarms it. The request's body and the time the server takes to answer are not its
/// concern: the next request starts once a response is being written. A connection that sends nothing at all is
/// closed by the server's idle timeout (`HTTP_IDLE_TIMEOUT_SECONDS`).
final class HeaderReadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum State {
        /// Between requests: the next byte starts a request head.
        case idle
        /// Reading a head; `tail` holds its last bytes, to find a CR LF CR LF split across reads.
        case readingHead(tail: UInt32)
        /// The head is in; the body and the response follow.
        case inRequest
    }

    private let timeout: TimeAmount
    private var state = State.idle
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        var tail: UInt32
        switch state {
        case .inRequest:
            context.fireChannelRead(data)
            return
        case .idle:
            tail = 0
            let channel = context.channel
            timer = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        case .readingHead(let last):
            tail = last
        }
        // The four most recent bytes, oldest first in the high byte: 0x0D0A0D0A is CR LF CR LF.
        var headEnded = false
        for byte in buffer.readableBytesView {
            tail = (tail << 8) | UInt32(byte)
            if tail == 0x0D0A_0D0A {
                headEnded = true
                break
            }
        }
        if headEnded {
            timer?.cancel()
            timer = nil
            state = .inRequest
        } else {
            state = .readingHead(tail: tail)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .inRequest = state { state = .idle }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }
}
