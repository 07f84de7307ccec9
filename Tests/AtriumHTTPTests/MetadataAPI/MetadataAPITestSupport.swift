import AtriumCore
@testable import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Workspaces with API keys for metadata API tests, deleted afterwards.
enum MetadataAPITestSupport {
    struct Tenant: Sendable {
        let workspace: CreatedWorkspace
        let token: String
        var headers: HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }
    }

    static var logger: Logger {
        var logger = Logger(label: "test.metadata-api")
        logger.logLevel = .error
        return logger
    }

    /// Runs `body` with `count` fresh workspaces (each with an API key) and the application.
    static func run(tenants count: Int = 1, _ body: @Sendable ([Tenant], any TestClientProtocol) async throws -> Void) async throws {
        try await TestTenants.with(count, name: "Metadata API") { _, tenants in
            try await withTestApplication { client, _ in
                try await body(tenants.map { Tenant(workspace: $0.workspace, token: $0.token) }, client)
            }
        }
    }

    /// A JSON request; returns the status and the decoded body.
    static func request(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, tenant: Tenant?, body: JSONValue? = nil
    ) async throws -> (HTTPResponse.Status, JSONValue) {
        var headers: HTTPFields = tenant?.headers ?? [.contentType: "application/json"]
        if tenant == nil { headers[.authorization] = nil }
        let buffer = try body.map { ByteBuffer(bytes: try JSONEncoder().encode($0)) }
        return try await client.execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            let json = response.body.readableBytes == 0 ? JSONValue.null : try decodeJSON(JSONValue.self, from: response.body)
            return (response.status, json)
        }
    }

    /// A GraphQL request to `/metadata`.
    static func graphQL(_ client: any TestClientProtocol, tenant: Tenant, _ query: String, variables: JSONValue = [:]) async throws -> JSONValue {
        let (status, json) = try await request(client, .post, "/metadata", tenant: tenant, body: ["query": .string(query), "variables": variables])
        #expect(status == .ok)
        return json
    }
}

