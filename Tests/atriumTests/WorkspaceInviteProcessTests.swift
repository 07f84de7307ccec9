import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import Testing

/// `atrium workspace invite` prints a link whose token lets the invitee sign up into the workspace.
@Suite(.tags(.integration)) struct WorkspaceInviteProcessTests {
    struct Created: Decodable { let id: String }

    @Test func theInvitationLinkPrintedByTheCLIJoinsTheWorkspace() async throws {
        try await TestDatabase.withFreshCore { database, settings in
            let environment = ["PG_DATABASE_URL": SyntheticWorkspaces.url(for: settings), "LOG_LEVEL": "error", "WORKSPACE_SPARE_SCHEMAS": "0",
                               "SERVER_URL": "https://crm.example.com"]
            let workspace = try await APIKeyProcessTests.atrium(["workspace", "create", "--name", "Invites", "--json"], environment: environment)
            #expect(workspace.status == 0, "\(workspace.errors)")
            let id = try JSONDecoder().decode(Created.self, from: Data(workspace.output.utf8)).id

            let invite = try await APIKeyProcessTests.atrium(["workspace", "invite", "--workspace", id, "--email", "Grace@Example.com"],
                                                             environment: environment)
            #expect(invite.status == 0, "\(invite.errors)")
            let lines = invite.output.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("invited grace@example.com to invites-") == true, "\(lines)")
            let link = try #require(lines.last.flatMap(URLComponents.init(string:)))
            #expect(link.host == "crm.example.com" && link.path.hasPrefix("/invite/"))
            let token = try #require(link.queryItems?.first { $0.name == "inviteToken" }?.value)

            let accounts = UserAccounts(database: database, secrets: TokenSecrets(appSecret: TestEnvironment.appSecret),
                                        lifetimes: .defaults, provisioner: nil)
            let joined = try await accounts.signUp(SignUpRequest(email: "grace@example.com", password: "correct horse", invitationToken: token),
                                                   logger: Logger(label: "test.invite"))
            #expect(joined.workspace.id == UUID(uuidString: id))
            #expect(joined.user.email == "grace@example.com")

            let bad = try await APIKeyProcessTests.atrium(["workspace", "invite", "--workspace", id, "--email", "not an email"], environment: environment)
            #expect(bad.status != 0)
        }
    }
}
