import AtriumCore
import AtriumTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Two `atrium serve` processes on one PostgreSQL and Redis: 100 metadata changes made through the first are served by
/// the second's records API, and the largest staleness is reported.
@Suite(.tags(.integration)) struct MetadataStalenessProcessTests {
    struct Created: Decodable { let id: String }
    struct Key: Decodable { let token: String }

    @Test func changesThroughOneServerReachTheOther() async throws {
        try await TestDatabase.withFreshCore { _, settings in
            let environment = [
                "PG_DATABASE_URL": SyntheticWorkspaces.url(for: settings), "LOG_LEVEL": "error", "WORKSPACE_SPARE_SCHEMAS": "0",
                "API_RATE_LIMITING_LONG_LIMIT": "0", "API_RATE_LIMITING_WORKSPACE_LIMIT": "0",  // hundreds of requests from one key
            ]
            let workspace = try await APIKeyProcessTests.atrium(["workspace", "create", "--name", "Two servers", "--json"], environment: environment)
            let id = try JSONDecoder().decode(Created.self, from: Data(workspace.output.utf8)).id
            let key = try await APIKeyProcessTests.atrium(["api-key", "create", "--workspace", id, "--name", "two", "--json"], environment: environment)
            let token = try JSONDecoder().decode(Key.self, from: Data(key.output.utf8)).token
            let (writer, writerBase) = try await AtriumProcess.serve(environment: environment)
            defer { if writer.isRunning { writer.terminate() } }
            let (reader, readerBase) = try await AtriumProcess.serve(environment: environment)
            defer { if reader.isRunning { reader.terminate() } }
            let client = Client(token: token)

            // A field on company, made through the writer; each change renames it, so the reader's records API accepts
            // a filter on the new name only once its snapshot has the change.
            let objects = try await client.json(.get, "\(writerBase)/rest/metadata/objects?limit=100")
            let company = try #require(objects["data"]?["objects"]?.array?.first { $0["nameSingular"]?.string == "company" })
            let created = try await client.json(.post, "\(writerBase)/rest/metadata/fields", [
                "objectMetadataId": company["id"] ?? .null, "type": "TEXT", "name": "probe0", "label": "Probe",
            ])
            let fieldID = try #require(created["data"]?["createOneField"]?["id"]?.string)
            #expect(try await client.seen("\(readerBase)/rest/companies?limit=1&filter=probe0[is]:NULL", within: .seconds(20)) != nil)

            var staleness: [Duration] = []
            for index in 1...100 {
                let renamed = try await client.json(.patch, "\(writerBase)/rest/metadata/fields/\(fieldID)", ["name": .string("probe\(index)")])
                #expect(renamed["data"]?["updateOneField"]?["name"]?.string == "probe\(index)")
                let committed = ContinuousClock.now
                let seen = try await client.seen("\(readerBase)/rest/companies?limit=1&filter=probe\(index)[is]:NULL", within: .seconds(10))
                try #require(seen != nil, "change \(index) never reached the second server")
                staleness.append(committed.duration(to: seen!))
            }
            let sorted = staleness.sorted()
            let milliseconds = { (duration: Duration) in Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15 }
            print(String(format: "two servers: staleness over 100 metadata changes: median %.2f ms, p90 %.2f ms, max %.2f ms",
                         milliseconds(sorted[50]), milliseconds(sorted[90]), milliseconds(sorted[99])))
            // The goal (100 ms) is DESIGN.md's and holds on an idle machine; a loaded parallel test run only checks
            // that every change arrives, and soon.
            #expect(sorted[50] < .milliseconds(500))
            kill(writer.processIdentifier, SIGTERM)
            kill(reader.processIdentifier, SIGTERM)
            _ = try await AtriumProcess.waitForExit(writer, within: .seconds(10))
            _ = try await AtriumProcess.waitForExit(reader, within: .seconds(10))
        }
    }

    /// Bearer-authenticated JSON requests.
    struct Client {
        let token: String

        enum Method: String { case get = "GET", post = "POST", patch = "PATCH" }

        func request(_ method: Method, _ url: String, _ body: [String: JSONValue]? = nil) async throws -> (Int, Data) {
            var request = URLRequest(url: URL(string: url)!)
            request.httpMethod = method.rawValue
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            if let body {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = try JSONEncoder().encode(JSONValue.object(body))
            }
            let (data, response) = try await AtriumProcess.fetch(request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        }

        func json(_ method: Method, _ url: String, _ body: [String: JSONValue]? = nil) async throws -> JSONValue {
            let (status, data) = try await request(method, url, body)
            #expect((200..<300).contains(status), "\(method.rawValue) \(url): \(status) \(String(decoding: data, as: UTF8.self))")
            return try JSONDecoder().decode(JSONValue.self, from: data)
        }

        /// When `url` first answered 200, polling every millisecond; nil if it did not within `limit`.
        func seen(_ url: String, within limit: Duration) async throws -> ContinuousClock.Instant? {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if try await request(.get, url).0 == 200 { return .now }
                try await Task.sleep(for: .milliseconds(1))
            }
            return nil
        }
    }
}
