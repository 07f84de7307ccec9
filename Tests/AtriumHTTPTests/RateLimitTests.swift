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

    @Test func aKeyPastItsLimitGets429WithHeadersAndItsOwnBucket() async throws {
        // A 10-minute window: a token refills every 2 minutes, so even a loaded machine cannot refill mid-test.
        let settings = ["API_RATE_LIMITING_LONG_LIMIT": "5", "API_RATE_LIMITING_LONG_TTL_IN_MS": "600000", "API_RATE_LIMITING_WORKSPACE_LIMIT": "0"]
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
            #expect((1...120).contains(retryAfter), "a token refills every 120 s")
            #expect(refused.headers[Self.reset] != nil)

            // Another key (another workspace) has its own bucket; errors carry the headers too.
            let other = try await workspaces[1].sendWithHeaders(.get, "/rest/unicorns")
            #expect(other.status == .badRequest)
            #expect(other.headers[Self.limit] == "5")
        }
    }

    @Test func aRefusedKeyIsServedAgainAfterRetryAfter() async throws {
        // One request per 2 s: send until refused (a loaded machine may be slower than the refill), then wait it out.
        let settings = ["API_RATE_LIMITING_LONG_LIMIT": "1", "API_RATE_LIMITING_LONG_TTL_IN_MS": "2000", "API_RATE_LIMITING_WORKSPACE_LIMIT": "0"]
        try await RESTTestWorkspace.run(configuration: settings) { workspaces in
            let ws = workspaces[0]
            var refused: (status: HTTPResponse.Status, body: JSONValue, headers: HTTPFields)?
            for _ in 0..<20 where refused == nil {
                let response = try await ws.sendWithHeaders(.get, "/rest/companies")
                if response.status == .tooManyRequests { refused = response } else { #expect(response.status == .ok) }
            }
            let retryAfter = try #require(refused?.headers[.retryAfter].flatMap(Int.init))
            #expect((1...2).contains(retryAfter))
            try await Task.sleep(for: .milliseconds(retryAfter * 1000 + 200))
            #expect(try await ws.sendWithHeaders(.get, "/rest/companies").status == .ok)
        }
    }

    @Test func theWorkspaceBucketCapsAllItsCallersTogether() async throws {
        let settings = ["API_RATE_LIMITING_LONG_LIMIT": "0", "API_RATE_LIMITING_WORKSPACE_LIMIT": "3", "API_RATE_LIMITING_LONG_TTL_IN_MS": "600000"]
        try await RESTTestWorkspace.run(configuration: settings) { workspaces in
            let ws = workspaces[0]
            for _ in 0..<3 { #expect(try await ws.get("/rest/people").status == .ok) }
            let refused = try await ws.sendWithHeaders(.get, "/rest/people")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[Self.limit] == "3")
        }
    }
}
