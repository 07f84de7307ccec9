import AtriumCore
@testable import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import JWTKit
import PostgresNIO
import Testing

@Suite(.tags(.integration)) struct UserTokenTests {
    @Test func renewRotatesAndAReusedRefreshTokenRevokesEveryRefreshTokenOfTheUser() async throws {
        // No cool-down, so presenting a rotated token counts as reuse at once.
        try await UsersTestBed.run(["REFRESH_TOKEN_COOL_DOWN": "0"]) { bed, emails in
            let email = UsersTestBed.email("renew")
            _ = try await bed.signUp(email, emails: emails)
            let (_, first) = try await bed.signIn(email)
            let (_, otherSession) = try await bed.signIn(email)

            let renewed = try await bed.renew(first)
            let next = try #require(renewed["data"]?["renewToken"]?["tokens"]?["refreshToken"]?["token"]?.string, "\(renewed)")
            let access = try #require(renewed["data"]?["renewToken"]?["tokens"]?["accessOrWorkspaceAgnosticToken"]?["token"]?.string)
            #expect(next != first)
            #expect(try await bed.send(.get, "/rest/companies", token: access).0 == .ok)

            // The rotated token presented again: refused, and every refresh token of the user is revoked with it.
            let reused = try await bed.renew(first)
            #expect(UsersTestBed.code(reused) == "UNAUTHENTICATED")
            #expect(reused["errors"]?[0]?["message"]?.string == "Suspicious activity detected, this refresh token has been revoked")
            for token in [next, otherSession] {
                #expect(UsersTestBed.code(try await bed.renew(token)) == "UNAUTHENTICATED")
            }
        }
    }

    @Test func aRefreshTokenRevokedWithinTheCoolDownStillRenewsOnce() async throws {
        try await UsersTestBed.run { bed, emails in
            let email = UsersTestBed.email("cooldown")
            _ = try await bed.signUp(email, emails: emails)
            let (_, refresh) = try await bed.signIn(email)
            let first = try await bed.renew(refresh)
            let second = try await bed.renew(refresh)   // two tabs renewing at the same moment
            #expect(first["errors"] == nil && second["errors"] == nil, "\(first) \(second)")
        }
    }

    @Test func tamperedExpiredWrongTypeAndCrossWorkspaceTokensAreRefusedWith401() async throws {
        try await UsersTestBed.run { bed, emails in
            let emailA = UsersTestBed.email("a"), emailB = UsersTestBed.email("b")
            let workspaceA = try #require(try await bed.signUp(emailA, emails: emails)["data"]?["signUpInWorkspace"]?["workspace"]?["id"]?.string)
            let workspaceB = try #require(try await bed.signUp(emailB, emails: emails)["data"]?["signUpInWorkspace"]?["workspace"]?["id"]?.string)
            let (access, refresh) = try await bed.signIn(emailA)
            let (_, me) = try await bed.metadata("{ currentUser { id workspaceMember { id } } currentWorkspace { id } }", token: access)
            let userID = try #require(UUID(uuidString: me["data"]?["currentUser"]?["id"]?.string ?? ""))
            let memberID = try #require(UUID(uuidString: me["data"]?["currentUser"]?["workspaceMember"]?["id"]?.string ?? ""))
            let userWorkspaceID = try #require(try await Self.userWorkspace(userID, bed: bed))
            let codec = TokenCodec(secrets: TokenSecrets(appSecret: TestEnvironment.appSecret))
            let a = try #require(UUID(uuidString: workspaceA)), b = try #require(UUID(uuidString: workspaceB))
            func claims(_ workspace: UUID, expiresIn: TimeInterval = 600) -> AccessTokenClaims {
                AccessTokenClaims(Membership(userID: userID, workspaceID: workspace, userWorkspaceID: userWorkspaceID, workspaceMemberID: memberID),
                                  issuedAt: Date(), expiresAt: Date().addingTimeInterval(expiresIn))
            }

            // The genuine token works; a copy minted the same way works too (the test signs as the app does).
            #expect(try await bed.send(.get, "/rest/companies", token: access).0 == .ok)
            #expect(try await bed.send(.get, "/rest/companies", token: try await codec.sign(claims(a), type: .access, id: a)).0 == .ok)

            var tampered = Array(access)
            let index = tampered.index(tampered.startIndex, offsetBy: access.split(separator: ".")[0].count + 5)
            tampered[index] = tampered[index] == "A" ? "B" : "A"
            let cases: [(String, String, String)] = [
                ("tampered", String(tampered), "Invalid token"),
                ("expired", try await codec.sign(claims(a, expiresIn: -60), type: .access, id: a), "Token has expired"),
                ("refresh token as bearer", refresh, "Invalid token"),
                ("access claims signed as a login token", try await codec.sign(claims(a), type: .login, id: a), "Invalid token"),
                // Workspace A's token naming workspace B: signed with A's secret, B's secret does not verify it.
                ("A's secret naming B", try await codec.sign(claims(b), type: .access, id: a), "Invalid token"),
                // Properly signed for B, but the user is no member of B.
                ("B's secret, no membership in B", try await codec.sign(claims(b), type: .access, id: b), "Invalid token"),
            ]
            for (name, token, message) in cases {
                for path in ["/rest/companies", "/graphql"] {
                    let (status, json) = try await bed.send(path == "/graphql" ? .post : .get, path, token: token,
                                                            body: path == "/graphql" ? ["query": "{ companies { edges { node { id } } } }"] : nil)
                    #expect(status == .unauthorized, "\(name) on \(path)")
                    if path == "/rest/companies" {
                        #expect(json["statusCode"]?.number == 401 && json["error"]?.string == "UnauthorizedException", "\(name)")
                        #expect(json["messages"]?[0]?.string == message, "\(name): \(json)")
                    } else {
                        #expect(UsersTestBed.code(json) == "UNAUTHENTICATED", "\(name)")
                    }
                }
            }
            // A login token is only good for getAuthTokensFromLoginToken, an access token not at all there.
            let (_, exchanged) = try await bed.metadata("""
                mutation($t: String!) { getAuthTokensFromLoginToken(loginToken: $t, origin: "x") { tokens { refreshToken { token } } } }
                """, variables: ["t": .string(access)])
            #expect(UsersTestBed.code(exchanged) == "UNAUTHENTICATED")
        }
    }

    static func userWorkspace(_ userID: UUID, bed: UsersTestBed) async throws -> UUID? {
        var found: UUID?
        for try await id in try await bed.database.query(#"SELECT "id" FROM core."userWorkspace" WHERE "userId" = \#(userID)"#,
                                                         logger: UsersTestBed.logger).decode(UUID.self) {
            found = id
        }
        return found
    }
}
