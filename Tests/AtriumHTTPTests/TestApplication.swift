import AtriumCore
import AtriumHTTP
import AtriumTestSupport
import Hummingbird
import HummingbirdTesting
import Foundation
import Logging
import NIOCore

/// Builds the real application against the test services, with `overrides` applied to its configuration.
func withTestApplication<Value>(
    _ overrides: [String: String] = [:],
    _ body: @Sendable (any TestClientProtocol, Telemetry) async throws -> Value
) async throws -> Value {
    let configuration = try TestEnvironment.configuration(overrides)
    let telemetry = Telemetry()
    var logger = Logger(label: "test.http")
    logger.logLevel = .warning
    let app = try AtriumApplication.build(configuration: configuration, logger: logger, telemetry: telemetry)
    return try await app.test(.router) { client in
        try await body(client, telemetry)
    }
}

/// Decodes a JSON response body.
func decodeJSON<T: Decodable>(_ type: T.Type, from body: ByteBuffer) throws -> T {
    try JSONDecoder().decode(type, from: Data(body.readableBytesView))
}
