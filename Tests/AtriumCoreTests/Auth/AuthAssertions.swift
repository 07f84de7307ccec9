import AtriumCore
import Foundation
import Testing

/// Expects `body` to fail with an ``AtriumError`` of `code` and `message`.
func expectAuthError(
    _ message: String,
    code: AtriumError.Code = .unauthenticated,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    let error = await #expect(throws: AtriumError.self, sourceLocation: sourceLocation) { try await body() }
    #expect(error?.message == message, sourceLocation: sourceLocation)
    #expect(error?.code == code, sourceLocation: sourceLocation)
}

/// The parts of a compact JWT, base64url-decoded where they are JSON.
struct JWTParts {
    let header: [String: Any]
    let payload: [String: Any]
    let signingInput: String
    let signature: String

    init(_ token: String) throws {
        let parts = token.split(separator: ".").map(String.init)
        try #require(parts.count == 3)
        header = try #require(try JSONSerialization.jsonObject(with: Self.base64URLDecode(parts[0])) as? [String: Any])
        payload = try #require(try JSONSerialization.jsonObject(with: Self.base64URLDecode(parts[1])) as? [String: Any])
        signingInput = parts[0] + "." + parts[1]
        signature = parts[2]
    }

    static func base64URLDecode(_ text: String) throws -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return try #require(Data(base64Encoded: base64))
    }

    /// A JSON number as a Double (JSONSerialization's boxing differs across platforms).
    static func number(_ value: Any?) -> Double? {
        switch value {
        case let value as Int: Double(value)
        case let value as Double: value
        case let value as NSNumber: value.doubleValue
        default: nil
        }
    }

    static func base64URLEncode(_ data: some Sequence<UInt8>) -> String {
        Data(data).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
