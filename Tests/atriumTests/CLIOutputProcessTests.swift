import AtriumTestSupport
import Foundation
import Testing

/// Every id the CLI prints is lower case, as Twenty's APIs write ids.
@Suite(.tags(.integration)) struct CLIOutputProcessTests {
    struct Created: Decodable { let id: String }

    /// The UUIDs in `text` that are not in lower case.
    static func upperCaseIDs(in text: String) -> [String] {
        let pattern = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/
        return text.matches(of: pattern).map { String($0.output) }.filter { $0 != $0.lowercased() }
    }

    @Test func idsArePrintedInLowerCase() async throws {
        try await TestDatabase.withFreshCore { _, settings in
            let environment = ["PG_DATABASE_URL": SyntheticWorkspaces.url(for: settings), "LOG_LEVEL": "error"]
            let created = try await APIKeyProcessTests.atrium(
                ["workspace", "create", "--name", "Cases", "--admin-email", "cases@example.com", "--json"], environment: environment)
            #expect(created.status == 0, "\(created.errors)")
            let workspace = try JSONDecoder().decode(Created.self, from: Data(created.output.utf8)).id
            var outputs = [created.output]
            for arguments in [
                ["workspace", "list", "--json"], ["workspace", "list"],
                ["workspace", "invite", "--workspace", workspace, "--email", "invitee@example.com", "--json"],
                ["upgrade", "status", "--json"], ["api-key", "create", "--workspace", workspace, "--name", "k", "--json"],
                ["workspace", "suspend", workspace.uppercased()], ["workspace", "activate", workspace.uppercased()],
            ] {
                let run = try await APIKeyProcessTests.atrium(arguments, environment: environment)
                #expect(run.status == 0, "\(arguments): \(run.errors)")
                #expect(run.output.contains(workspace) || arguments.contains("invite") || arguments.contains("status"), "\(arguments): \(run.output)")
                outputs.append(run.output)
            }
            #expect(outputs.flatMap(Self.upperCaseIDs) == [])
            #expect(outputs.last == "activated \(workspace)\n")
        }
    }
}
