import AtriumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite(.tags(.integration)) struct HealthRoutesTests {
    struct Report: Decodable, Equatable {
        let status: String
        let postgres: String
        let redis: String
    }

    @Test func livezAnswersWithoutIO() async throws {
        // Both dependencies unreachable: /livez must not care.
        try await withTestApplication([
            "PG_DATABASE_URL": "postgres://nobody:x@127.0.0.1:1/none?sslmode=disable", "REDIS_URL": "redis://127.0.0.1:1",
        ]) { client, _ in
            try await client.execute(uri: "/livez", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func healthzIsOkWhenBothServicesAnswer() async throws {
        try await withTestApplication { client, _ in
            // A probe is polled: on a loaded machine the first PostgreSQL connection of a new process can take longer
            // than the check's bound, so a few 503s at start are expected; a healthy pair must turn 200 soon after.
            var answer: (HTTPResponse.Status, Report)?
            for _ in 0..<5 {
                answer = try await client.execute(uri: "/healthz", method: .get) { response in
                    (response.status, try decodeJSON(Report.self, from: response.body))
                }
                if answer?.0 == .ok { break }
            }
            #expect(answer?.0 == .ok)
            #expect(answer?.1 == Report(status: "ok", postgres: "up", redis: "up"))
        }
    }

    /// The server serves without Redis, so a load balancer must keep it: 200, `degraded`.
    @Test func healthzIsDegradedButServingWhenRedisIsDown() async throws {
        try await withTestApplication(["REDIS_URL": "redis://127.0.0.1:1"]) { client, _ in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let report = try decodeJSON(Report.self, from: response.body)
                #expect(report == Report(status: "degraded", postgres: "up", redis: "down"))
            }
        }
    }

    @Test func healthzIs503WhenPostgresIsDown() async throws {
        try await withTestApplication(["PG_DATABASE_URL": "postgres://nobody:x@127.0.0.1:1/none?sslmode=disable"]) { client, _ in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let report = try decodeJSON(Report.self, from: response.body)
                #expect(report == Report(status: "unavailable", postgres: "down", redis: "up"))
            }
        }
    }
}
