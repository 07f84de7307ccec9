import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Token-bucket rate limits per API key and per workspace, kept in Redis.
@Suite(.tags(.integration)) struct RateLimitTests {
    static let limit = HTTPField.Name("X-RateLimit-Limit")!
    static let remaining = HTTPField.Name("X-RateLimit-Remaining")!
    static let reset = HTTPField.Name("X-RateLimit-Reset")!

    @Test func aKeyPastItsLimitGets429WithHeadersAndRecoversAfterTheWindow() async throws {
        let settings = ["API_RATE_LIMITING_LONG_LIMIT": "5", "API_RATE_LIMITING_LONG_TTL_IN_MS": "20000", "API_RATE_LIMITING_WORKSPACE_LIMIT": "0"]
        try await RESTTestWorkspace.run(count: 2, configuration: settings) { workspaces in
            let ws = workspaces[0]
            var remainders: [String] = []
            for _ in 0..<5 {
                let response = try await ws.sendWithHeaders(.get, "/rest/companies")
                #expect(response.status == .ok)
                #expect(response.headers[Self.limit] == "5")
                remainders.append(response.headers[Self.remaining] ?? "")
            }
            #expect(remainders.last == "0")
            let refused = try await ws.sendWithHeaders(.get, "/rest/companies")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.body["statusCode"] == 429)
            #expect(refused.body["error"] == "TooManyRequestsException")
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap(Int.init))
            #expect((1...4).contains(retryAfter), "a token refills every 4 s")
            #expect(refused.headers[Self.reset] != nil)

            // Another key (another workspace) has its own bucket; errors carry the headers too.
            let other = try await workspaces[1].sendWithHeaders(.get, "/rest/unicorns")
            #expect(other.status == .badRequest)
            #expect(other.headers[Self.limit] == "5")

            try await Task.sleep(for: .milliseconds(retryAfter * 1000 + 200))
            #expect(try await ws.sendWithHeaders(.get, "/rest/companies").status == .ok)
        }
    }

    @Test func theWorkspaceBucketCapsAllItsCallersTogether() async throws {
        let settings = ["API_RATE_LIMITING_LONG_LIMIT": "0", "API_RATE_LIMITING_WORKSPACE_LIMIT": "3", "API_RATE_LIMITING_LONG_TTL_IN_MS": "60000"]
        try await RESTTestWorkspace.run(configuration: settings) { workspaces in
            let ws = workspaces[0]
            for _ in 0..<3 { #expect(try await ws.get("/rest/people").status == .ok) }
            let refused = try await ws.sendWithHeaders(.get, "/rest/people")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[Self.limit] == "3")
        }
    }
}
