import AsyncHTTPClient
import AtriumCore
import NIOCore
import NIOHTTP1

/// ``WebhookSender`` over AsyncHTTPClient: no redirect followed, at most ``responseLimit`` bytes of an answer read.
public struct WebhookHTTPSender: WebhookSender {
    let client: HTTPClient
    /// The most bytes of an answer read (the rest is discarded): a receiver cannot make a worker buffer much.
    public static let responseLimit = 64 * 1024

    /// A sender on its own `HTTPClient` (shut down with ``shutdown()``).
    public init() {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(5)))
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func post(_ url: String, headers: [(String, String)], body: String, timeout: Duration) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .init(timeout))
        // Read a little of the answer, then drop the connection's remainder.
        _ = try? await response.body.collect(upTo: Self.responseLimit)
        return Int(response.status.code)
    }

    /// Closes the client's connections.
    public func shutdown() async throws {
        try await client.shutdown()
    }
}
