import NIOCore
import NIOPosix
import Synchronization

/// A TCP listener on a free port that accepts connections and never answers, as a hung Redis or a black-holing
/// proxy would.
final class SilentListener: Sendable {
    /// The connections accepted so far.
    private final class Accepted: Sendable {
        let channels = Mutex<[any Channel]>([])
    }

    let port: Int
    private let server: any Channel
    private let accepted: Accepted

    private init(server: any Channel, accepted: Accepted) {
        self.server = server
        self.port = server.localAddress?.port ?? 0
        self.accepted = accepted
    }

    /// Starts listening on 127.0.0.1 and a free port.
    static func start() async throws -> SilentListener {
        let accepted = Accepted()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                accepted.channels.withLock { $0.append(channel) }
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return SilentListener(server: server, accepted: accepted)
    }

    /// How many connections were accepted so far.
    var acceptedCount: Int { self.accepted.channels.withLock { $0.count } }

    /// Stops listening and closes every accepted connection.
    func close() async {
        try? await self.server.close()
        for channel in self.accepted.channels.withLock({ $0 }) { try? await channel.close() }
    }
}
