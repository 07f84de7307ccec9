import ArgumentParser
import AtriumCore
import Foundation
import Logging

extension WorkspaceCLI {
    /// `atrium workspace invite --workspace ID --email E`: creates an invitation and prints its link (email delivery
    /// comes later). The invitee follows it to sign up with `signUpInWorkspace(…, workspacePersonalInviteToken:)`;
    /// an existing user joins by signing in to the workspace.
    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Invite someone to a workspace and print the invitation link.")
        @Option(help: "The workspace id.") var workspace: String
        @Option(help: "The invitee's email address.") var email: String
        @Flag(help: "Print JSON (id, email, expiresAt, token, link).") var json = false

        func run() async throws {
            guard let workspaceID = UUID(text: workspace) else { throw ValidationError("--workspace must be a workspace id (a UUID)") }
            let environment = try CommandEnvironment.load(label: "atrium.workspace")
            let configuration = environment.configuration
            let (created, record) = try await environment.withDatabase { database in
                try await environment.reportingDomainErrors {
                    let accounts = UserAccounts(database: database, secrets: TokenSecrets(appSecret: configuration.appSecret),
                                                lifetimes: configuration.tokenLifetimes, provisioner: nil)
                    let created = try await accounts.invite(email: email, workspaceID: workspaceID, logger: environment.logger)
                    return (created, try await accounts.workspace(id: workspaceID, logger: environment.logger))
                }
            }
            let link = created.link(serverURL: configuration.serverURL, workspace: record)
            if json {
                try printJSON(InvitationOutput(id: created.invitation.id.lowercased, email: created.invitation.email,
                                               expiresAt: created.invitation.expiresAt, token: created.token, link: link))
            } else {
                print("invited \(created.invitation.email) to \(record.subdomain) until \(created.invitation.expiresAt.formatted(.iso8601))")
                print(link)
            }
        }
    }
}
