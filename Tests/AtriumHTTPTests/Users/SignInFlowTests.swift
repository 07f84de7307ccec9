import AtriumCore
@testable import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite(.tags(.integration)) struct SignInFlowTests {
    @Test func signUpSignInAndTheAccessTokenWorksOnRESTAndGraphQL() async throws {
        try await UsersTestBed.run { bed, emails in
            let email = UsersTestBed.email("flow")
            let signedUp = try await bed.signUp(email, emails: emails)
            let output = try #require(signedUp["data"]?["signUpInWorkspace"], "\(signedUp)")
            #expect(output["loginToken"]?["token"]?.string?.isEmpty == false)
            let workspaceID = try #require(output["workspace"]?["id"]?.string)

            // The sign-up's login token and a later sign-in both give working tokens.
            _ = try await bed.exchange(try #require(output["loginToken"]?["token"]?.string))
            let (access, refresh) = try await bed.signIn(email)
            #expect(access != refresh)

            let (restStatus, rest) = try await bed.send(.get, "/rest/companies", token: access)
            #expect(restStatus == .ok, "\(rest)")
            #expect(rest["data"]?["companies"]?.array != nil)
            // A record created with the access token names the member as its creator.
            let (created, record) = try await bed.send(.post, "/rest/companies", token: access, body: ["name": "Made by a member"])
            #expect(created == .created || created == .ok, "\(record)")
            #expect(record["data"]?["createCompany"]?["createdBy"]?["source"]?.string == "MANUAL")
            let (graphStatus, graph) = try await bed.send(.post, "/graphql", token: access, body: ["query": "{ workspaceMembers { edges { node { id userEmail } } } }"])
            #expect(graphStatus == .ok)
            let members = try #require(graph["data"]?["workspaceMembers"]?["edges"]?.array, "\(graph)")
            #expect(members.compactMap { $0["node"]?["userEmail"]?.string } == [email])

            let (_, me) = try await bed.metadata("""
                { currentUser { id email workspaceMember { id userEmail name { firstName } } currentWorkspace { id activationStatus } }
                  currentWorkspace { id subdomain workspaceUrls { subdomainUrl } } }
                """, token: access)
            #expect(me["data"]?["currentUser"]?["email"]?.string == email, "\(me)")
            #expect(me["data"]?["currentUser"]?["workspaceMember"]?["id"]?.string == members.first?["node"]?["id"]?.string)
            #expect(me["data"]?["currentUser"]?["currentWorkspace"]?["id"]?.string == workspaceID)
            #expect(me["data"]?["currentWorkspace"]?["id"]?.string == workspaceID)
            #expect(me["data"]?["currentWorkspace"]?["subdomain"]?.string?.isEmpty == false)
        }
    }

    @Test func twentysOriginalSignUpAnswersALoginTokenForANewWorkspace() async throws {
        try await UsersTestBed.run { bed, emails in
            let email = UsersTestBed.email("legacy")
            emails.add(email)
            let (_, json) = try await bed.metadata("""
                mutation($e: String!, $p: String!) { signUp(email: $e, password: $p) { loginToken { token expiresAt } } }
                """, variables: ["e": .string(email), "p": .string(UsersTestBed.password)])
            let token = try #require(json["data"]?["signUp"]?["loginToken"]?["token"]?.string, "\(json)")
            let expiresAt = try #require(json["data"]?["signUp"]?["loginToken"]?["expiresAt"]?.string)
            let expiry = try #require(try? Date(expiresAt, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            #expect(abs(expiry.timeIntervalSinceNow - 15 * 60) < 60, "login tokens live 15 minutes")
            let (access, _) = try await bed.exchange(token)
            let (_, me) = try await bed.metadata("{ currentUser { email } }", token: access)
            #expect(me["data"]?["currentUser"]?["email"]?.string == email)
        }
    }

    @Test func wrongPasswordsUnknownEmailsAndShortPasswordsAreRefused() async throws {
        try await UsersTestBed.run { bed, emails in
            let email = UsersTestBed.email("refused")
            _ = try await bed.signUp(email, emails: emails)
            for (who, password) in [(email, "wrong password"), (UsersTestBed.email("nobody"), UsersTestBed.password)] {
                let (status, json) = try await bed.metadata("""
                    mutation($e: String!, $p: String!) { getLoginTokenFromCredentials(email: $e, password: $p, origin: "http://localhost") { loginToken { token } } }
                    """, variables: ["e": .string(who), "p": .string(password)])
                #expect(status == .ok)
                #expect(UsersTestBed.code(json) == "UNAUTHENTICATED")
                #expect(json["errors"]?[0]?["message"]?.string == "Wrong email or password")
            }
            let short = try await bed.signUp(UsersTestBed.email("short"), password: "short", emails: emails)
            #expect(UsersTestBed.code(short) == "BAD_USER_INPUT")
            // Signing up again with a taken email and the wrong password does not create anything.
            let taken = try await bed.signUp(email, password: "another password", emails: emails)
            #expect(UsersTestBed.code(taken) == "UNAUTHENTICATED")
        }
    }

    @Test func anonymousRequestsRunOnlyThePublicOperations() async throws {
        try await UsersTestBed.run { bed, _ in
            for query in ["{ currentUser { id } }", "{ objects { totalCount } }", "mutation { sendInvitations(emails: [\"a@b.co\"]) { success } }",
                          "{ __typename }", "mutation { renewToken(appToken: \"x\") { tokens { refreshToken { token } } } currentWorkspace { id } }"] {
                let (status, json) = try await bed.metadata(query)
                #expect(status == .unauthorized, "\(query)")
                #expect(UsersTestBed.code(json) == "UNAUTHENTICATED", "\(query)")
            }
            // A public operation runs: a garbage refresh token is refused by the operation itself, not by a 401.
            let (status, json) = try await bed.metadata("mutation { renewToken(appToken: \"garbage\") { tokens { refreshToken { token } } } }")
            #expect(status == .ok)
            #expect(UsersTestBed.code(json) == "UNAUTHENTICATED")
            #expect(json["errors"]?[0]?["message"]?.string == "Invalid token")
        }
    }

    @Test func corsAnswersPreflightForTheServerOriginOnly() async throws {
        try await UsersTestBed.run(["SERVER_URL": "https://crm.example.com"]) { bed, _ in
            let allowed = try await bed.client.execute(uri: "/rest/companies", method: .options, headers: [
                .origin: "https://crm.example.com", .accessControlRequestMethod: "GET",
            ]) { $0 }
            #expect(allowed.status == .noContent)
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://crm.example.com")
            #expect(allowed.headers[.accessControlAllowHeaders]?.lowercased().contains("authorization") == true)
            let metadata = try await bed.client.execute(uri: "/metadata", method: .options, headers: [.origin: "https://crm.example.com"]) { $0 }
            #expect(metadata.headers[.accessControlAllowOrigin] == "https://crm.example.com")
            let other = try await bed.client.execute(uri: "/rest/companies", method: .options, headers: [.origin: "https://evil.example"]) { $0 }
            #expect(other.headers[.accessControlAllowOrigin] == nil)
        }
    }
}
