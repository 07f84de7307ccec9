import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// An HTTP receiver on a loopback port for webhook tests: keeps every POST to `/hook` (headers and body) and answers
/// 500 to the first `failuresFirst` of them, 200 to the rest.
public final class LoopbackReceiver: Sendable {
    public let requests = Mutex<[(headers: HTTPFields, body: String)]>([])
    let failuresFirst: Int

    public init(failuresFirst: Int = 0) {
        self.failuresFirst = failuresFirst
    }

    /// How many requests it got.
    public var requestCount: Int { requests.withLock { $0.count } }

    /// The distinct values of header `name` among the requests (e.g. the event ids delivered).
    public func distinct(_ name: String) -> Set<String> {
        let field = HTTPField.Name(name)!
        return requests.withLock { Set($0.compactMap { $0.headers[field] }) }
    }

    /// Runs `body` with the receiver listening on a loopback port (its argument).
    public func serve<Result: Sendable>(_ body: @Sendable (Int) async throws -> Result) async throws -> Result {
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let count = self.requests.withLock { requests in
                requests.append((request.headers, text))
                return requests.count
            }
            return count <= self.failuresFirst ? .internalServerError : .ok
        }
        let port = Mutex<Int?>(nil)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
                              logger: Logger(label: "test.receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { try await app.runService() }
        defer { running.cancel() }
        var bound: Int?
        for _ in 0..<250 where bound == nil {
            try await Task.sleep(for: .milliseconds(20))
            bound = port.withLock { $0 }
        }
        guard let bound else { throw ReceiverDidNotStart() }
        return try await body(bound)
    }

    struct ReceiverDidNotStart: Error {}
}
