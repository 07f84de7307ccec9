import AtriumTestSupport
import Foundation
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
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let report = try decodeJSON(Report.self, from: response.body)
                #expect(report == Report(status: "ok", postgres: "up", redis: "up"))
            }
        }
    }

    @Test func healthzIs503WhenRedisIsDown() async throws {
        try await withTestApplication(["REDIS_URL": "redis://127.0.0.1:1"]) { client, _ in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let report = try decodeJSON(Report.self, from: response.body)
                #expect(report == Report(status: "unavailable", postgres: "up", redis: "down"))
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
