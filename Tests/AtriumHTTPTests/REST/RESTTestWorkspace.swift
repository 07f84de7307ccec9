import AtriumCore
import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A fresh workspace with every standard object and an API key, served by the real application; deleted afterwards.
struct RESTTestWorkspace: Sendable {
    let id: UUID
    let token: String
    let client: any TestClientProtocol

    static var logger: Logger {
        var logger = Logger(label: "test.rest")
        logger.logLevel = .error
        return logger
    }

    /// Runs `body` with `count` workspaces on one application (for cross-workspace tests).
    static func run(
        count: Int = 1, configuration overrides: [String: String] = [:], _ body: @Sendable ([RESTTestWorkspace]) async throws -> Void
    ) async throws {
        try await TestTenants.with(count, name: "REST") { _, tenants in
            try await withTestApplication(overrides) { client, _ in
                try await body(tenants.map { RESTTestWorkspace(id: $0.id, token: $0.token, client: client) })
            }
        }
    }

    /// Sends a request with this workspace's token and returns the status and JSON body.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, json body: String? = nil) async throws -> (status: HTTPResponse.Status, body: JSONValue) {
        let response = try await sendWithHeaders(method, uri, json: body)
        return (response.status, response.body)
    }

    /// Like ``send(_:_:json:)``, with the response headers.
    func sendWithHeaders(_ method: HTTPRequest.Method, _ uri: String, json body: String? = nil) async throws
        -> (status: HTTPResponse.Status, body: JSONValue, headers: HTTPFields)
    {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let data = Data(response.body.readableBytesView)
            let json = data.isEmpty ? JSONValue.null : try JSONDecoder().decode(JSONValue.self, from: data)
            return (response.status, json, response.headers)
        }
    }

    /// Sends `body` as `contentType` and returns the status, the body as text and the headers (CSV files).
    func sendText(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, contentType: String = "text/csv") async throws
        -> (status: HTTPResponse.Status, text: String, headers: HTTPFields)
    {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if body != nil { headers[.contentType] = contentType }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            (response.status, String(buffer: response.body), response.headers)
        }
    }

    func get(_ uri: String) async throws -> (status: HTTPResponse.Status, body: JSONValue) { try await send(.get, uri) }
    func post(_ uri: String, _ json: String) async throws -> (status: HTTPResponse.Status, body: JSONValue) { try await send(.post, uri, json: json) }
    func patch(_ uri: String, _ json: String) async throws -> (status: HTTPResponse.Status, body: JSONValue) { try await send(.patch, uri, json: json) }
    func delete(_ uri: String) async throws -> (status: HTTPResponse.Status, body: JSONValue) { try await send(.delete, uri) }
}
