import AtriumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite(.tags(.integration)) struct RequestPipelineTests {
    struct TwentyError: Decodable {
        let statusCode: Int
        let error: String
        let messages: [String]
        let code: String
    }

    @Test func echoesTheClientsRequestID() async throws {
        try await withTestApplication { client, _ in
            try await client.execute(uri: "/livez", method: .get, headers: [.init("X-Request-Id")!: "abc-123"]) { response in
                #expect(response.headers[.init("X-Request-Id")!] == "abc-123")
            }
        }
    }

    @Test func generatesARequestIDWhenAbsentOrUnsafe() async throws {
        try await withTestApplication { client, _ in
            let first = try await client.execute(uri: "/livez", method: .get) { $0.headers[.init("X-Request-Id")!] }
            let second = try await client.execute(uri: "/livez", method: .get, headers: [.init("X-Request-Id")!: "bad id\u{7}"]) {
                $0.headers[.init("X-Request-Id")!]
            }
            #expect(first.flatMap(UUID.init(uuidString:)) != nil)
            #expect(second.flatMap(UUID.init(uuidString:)) != nil)
            #expect(first != second)
        }
    }

    @Test func unknownRouteIsA404InTwentysShape() async throws {
        try await withTestApplication { client, _ in
            try await client.execute(uri: "/no/such/route", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try decodeJSON(TwentyError.self, from: response.body)
                #expect(body.statusCode == 404)
                #expect(body.error == "NotFoundException")
                #expect(body.messages == ["Cannot GET /no/such/route"])
                #expect(body.code == "not_found")
            }
        }
    }

    @Test func metricsExposeRequestsByRouteAndPoolFigures() async throws {
        try await withTestApplication { client, _ in
            for _ in 0..<3 {
                try await client.execute(uri: "/livez", method: .get) { _ in }
            }
            try await client.execute(uri: "/healthz", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"atrium_http_requests_total{route="/livez",method="GET",status="200"} 3"#))
                // Under a parallel test run /healthz may time out (503); either way its histogram is there.
                #expect(text.contains(#"atrium_http_request_duration_seconds_bucket{route="/healthz",method="GET",status=""#))
                #expect(text.contains("atrium_db_pool_max_connections"))
                #expect(text.contains("atrium_db_operations_total"))
                #expect(text.contains("atrium_redis_open_connections"))
            }
        }
    }
}
