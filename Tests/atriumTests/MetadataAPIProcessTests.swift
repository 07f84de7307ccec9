import AtriumCore
import AtriumTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Testing

/// `atrium workspace create`, then `atrium api-key create`: the token is accepted by the metadata API of
/// `atrium serve`, all three as real processes on a fresh database.
@Suite(.tags(.integration)) struct MetadataAPIProcessTests {
    struct Created: Decodable { let id: String; let databaseSchema: String }
    struct Key: Decodable { let token: String }

    @Test func workspaceAndAPIKeyFromTheCLIAreAcceptedByTheMetadataAPI() async throws {
        try await TestDatabase.withFreshCore { _, settings in
            let environment = ["PG_DATABASE_URL": SyntheticWorkspaces.url(for: settings), "LOG_LEVEL": "error", "WORKSPACE_SPARE_SCHEMAS": "0"]
            let workspace = try await APIKeyProcessTests.atrium(["workspace", "create", "--name", "CLI Metadata", "--json"], environment: environment)
            #expect(workspace.status == 0, "\(workspace.errors)")
            let created = try JSONDecoder().decode(Created.self, from: Data(workspace.output.utf8))
            let key = try await APIKeyProcessTests.atrium(["api-key", "create", "--workspace", created.id, "--name", "CLI", "--json"], environment: environment)
            #expect(key.status == 0, "\(key.errors)")
            let token = try JSONDecoder().decode(Key.self, from: Data(key.output.utf8)).token

            let (server, base) = try await AtriumProcess.serve(environment: environment)
            defer { if server.isRunning { server.terminate() } }

            var request = URLRequest(url: URL(string: "\(base)/rest/metadata/objects")!)
            request.httpMethod = "POST"
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(#"{"nameSingular":"ticket","namePlural":"tickets","labelSingular":"Ticket","labelPlural":"Tickets"}"#.utf8)
            let (body, response) = try await AtriumProcess.fetch(request)
            #expect((response as? HTTPURLResponse)?.statusCode == 201, "\(String(decoding: body, as: UTF8.self))")
            #expect(String(decoding: body, as: UTF8.self).contains(#""createOneObject""#))

            var graph = URLRequest(url: URL(string: "\(base)/metadata")!)
            graph.httpMethod = "POST"
            graph.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            graph.setValue("application/json", forHTTPHeaderField: "Content-Type")
            graph.httpBody = Data(#"{"query":"{ objects(filter: {isCustom: {is: true}}) { edges { node { nameSingular } } } }"}"#.utf8)
            let (graphBody, graphResponse) = try await AtriumProcess.fetch(graph)
            #expect((graphResponse as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: graphBody, as: UTF8.self) == #"{"data":{"objects":{"edges":[{"node":{"nameSingular":"ticket"}}]}}}"#)

            request.setValue("Bearer \(token)x", forHTTPHeaderField: "Authorization")
            let (_, rejected) = try await AtriumProcess.fetch(request)
            #expect((rejected as? HTTPURLResponse)?.statusCode == 401)
            kill(server.processIdentifier, SIGTERM)
            _ = try await AtriumProcess.waitForExit(server, within: .seconds(10))
        }
    }
}
