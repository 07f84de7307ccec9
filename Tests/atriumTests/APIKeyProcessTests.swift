import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import Testing

/// `atrium api-key create|list|revoke` as processes against a fresh database.
@Suite(.tags(.integration)) struct APIKeyProcessTests {
    static let logger = Logger(label: "test.api-key.process")

    struct Run {
        let status: Int32
        let output: String
        let errors: String
    }

    static func atrium(_ arguments: [String], environment: [String: String]) async throws -> Run {
        let (process, output, errors) = try AtriumProcess.launchCapturing(arguments, environment: environment)
        // Read before waiting so a full pipe cannot stall the child.
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        #expect(try await AtriumProcess.waitForExit(process, within: .seconds(60)))
        return Run(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                   errors: String(decoding: errData, as: UTF8.self))
    }

    struct Created: Decodable {
        let id: String, name: String, workspaceId: String, expiresAt: String, token: String
    }

    struct Listed: Decodable {
        let id: String, name: String, workspaceId: String, expiresAt: String, revokedAt: String?, createdAt: String, status: String
    }

    @Test func createListRevoke() async throws {
        try await TestDatabase.withFreshCore { database, settings in
            let workspace = try await TestWorkspaceRows.insert(in: database, logger: Self.logger)
            let ws = workspace.uuidString.lowercased()
            let environment = ["PG_DATABASE_URL": SyntheticWorkspaces.url(for: settings), "LOG_LEVEL": "error"]
            let appSecret = TestEnvironment.appSecret
            let apiKeys = APIKeyManager(database: database, secrets: TokenSecrets(appSecret: appSecret))

            let create = try await Self.atrium(["api-key", "create", "--workspace", ws, "--name", "CI", "--expires-in", "30", "--json"],
                                                environment: environment)
            #expect(create.status == 0, "\(create.errors)")
            let created = try JSONDecoder().decode(Created.self, from: Data(create.output.utf8))
            #expect(created.name == "CI")
            #expect(created.workspaceId == ws)
            #expect(created.expiresAt.hasSuffix("Z"))
            let expiresAt = try #require(ISO8601DateFormatter.withFractions.date(from: created.expiresAt))
            #expect(abs(expiresAt.timeIntervalSinceNow - 30 * 86_400) < 60)
            let auth = try await apiKeys.authenticate(token: created.token, logger: Self.logger)
            #expect(auth.workspaceID == workspace)
            #expect(auth.identity == .apiKey(id: UUID(uuidString: created.id)!, name: "CI"))

            // Days × 86,400 overflowed Int64 and crashed the command (signal 4) for a huge lifetime: now a clear refusal.
            let huge = try await Self.atrium(["api-key", "create", "--workspace", ws, "--name", "Huge", "--expires-in", "999999999999999"],
                                             environment: environment)
            #expect(huge.status == 1 && huge.errors.contains("--expires-in must be from 1 to 365250 days"), "\(huge.status) \(huge.errors)")

            let human = try await Self.atrium(["api-key", "create", "--workspace", ws, "--name", "Human"], environment: environment)
            #expect(human.status == 0)
            let lines = human.output.split(separator: "\n").map(String.init)
            #expect(lines.count == 2)
            #expect(lines.first?.hasPrefix("created API key ") == true)
            #expect(try await apiKeys.authenticate(token: try #require(lines.last), logger: Self.logger).workspaceID == workspace)

            let revoke = try await Self.atrium(["api-key", "revoke", created.id], environment: environment)
            #expect(revoke.status == 0, "\(revoke.errors)")
            #expect(revoke.output.hasPrefix("revoked API key \(created.id)"))
            let fresh = APIKeyManager(database: database, secrets: TokenSecrets(appSecret: appSecret))
            let error = await #expect(throws: AtriumError.self) { _ = try await fresh.authenticate(token: created.token, logger: Self.logger) }
            #expect(error?.message == "This API key is revoked")

            let list = try await Self.atrium(["api-key", "list", "--workspace", ws, "--json"], environment: environment)
            #expect(list.status == 0)
            let listed = try JSONDecoder().decode([Listed].self, from: Data(list.output.utf8))
            #expect(listed.map(\.name) == ["CI", "Human"])
            #expect(listed.map(\.status) == ["revoked", "active"])
            #expect(listed.first?.revokedAt != nil)
            let table = try await Self.atrium(["api-key", "list", "--workspace", ws], environment: environment)
            #expect(table.output.split(separator: "\n").count == 2)

            let unknown = try await Self.atrium(["api-key", "revoke", UUID().uuidString], environment: environment)
            #expect(unknown.status == 1)
            #expect(unknown.errors.hasPrefix("atrium: API key ") && unknown.errors.hasSuffix(" not found\n"))
            let noWorkspace = try await Self.atrium(["api-key", "create", "--workspace", UUID().uuidString, "--name", "x"],
                                                    environment: environment)
            #expect(noWorkspace.status == 1)
            #expect(noWorkspace.errors.contains("not found"))
            let badID = try await Self.atrium(["api-key", "list", "--workspace", "nope"], environment: environment)
            #expect(badID.status == 1)
            #expect(badID.errors == "atrium: --workspace must be a UUID (got \"nope\")\n")
        }
    }
}

extension ISO8601DateFormatter {
    static var withFractions: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
