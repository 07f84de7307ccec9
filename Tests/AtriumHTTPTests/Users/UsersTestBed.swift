import AtriumCore
import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import NIOCore
import PostgresNIO
import Synchronization

/// The real application for users and sign-in tests, with the accounts those tests create removed afterwards: every
/// workspace a signed-up email is a member of (hard-deleted) and the users themselves.
struct UsersTestBed: Sendable {
    let client: any TestClientProtocol
    let database: Database
    /// A fresh email, unique to this test run.
    static func email(_ name: String = "user") -> String { "\(name)-\(UUID().uuidString.prefix(8).lowercased())@example.com" }
    static let password = "correct horse battery"

    static var logger: Logger {
        var logger = Logger(label: "test.users")
        logger.logLevel = .error
        return logger
    }

    /// Runs `body` against the application; `emails` are the accounts to clean up afterwards (appended to by the test).
    static func run(
        _ overrides: [String: String] = [:], logger appLogger: Logger? = nil,
        _ body: @Sendable (UsersTestBed, Emails) async throws -> Void
    ) async throws {
        let emails = Emails()
        try await SharedTestDatabase.withUpgradedDatabase { database in
            let configuration = try TestEnvironment.configuration(overrides)
            var logger = appLogger ?? Logger(label: "test.http")
            if appLogger == nil { logger.logLevel = .warning }
            let app = try AtriumApplication.build(configuration: configuration, logger: logger, telemetry: Telemetry())
            let outcome: Result<Void, any Error>
            do {
                try await app.test(.router) { client in try await body(UsersTestBed(client: client, database: database), emails) }
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            try await cleanUp(emails.all, database: database)
            try outcome.get()
        }
    }

    /// The emails a test signed up.
    final class Emails: Sendable {
        private let list = Mutex<[String]>([])
        func add(_ email: String) { list.withLock { $0.append(email) } }
        var all: [String] { list.withLock { $0 } }
    }

    private static func cleanUp(_ emails: [String], database: Database) async throws {
        let logger = Self.logger
        for email in emails {
            var workspaces: [UUID] = []
            for try await id in try await database.query("""
                SELECT uw."workspaceId" FROM core."userWorkspace" uw JOIN core."user" u ON u."id" = uw."userId" WHERE u."email" = \(email)
                """, logger: logger).decode(UUID.self) {
                workspaces.append(id)
            }
            for id in workspaces { try? await WorkspaceAdministration(database: database).delete(id, hard: true, logger: logger) }
            try await database.query(#"DELETE FROM core."user" WHERE "email" = \#(email)"#, logger: logger)
        }
    }

    // MARK: - Requests

    /// The signed-in caller's workspace member id (`currentUser.workspaceMember.id`).
    func workspaceMemberID(token: String) async throws -> String? {
        let (_, me) = try await metadata("{ currentUser { workspaceMember { id } } }", token: token)
        return me["data"]?["currentUser"]?["workspaceMember"]?["id"]?.string
    }

    /// A GraphQL request to `/metadata` (anonymous without `token`); the status and JSON body.
    func metadata(_ query: String, variables: JSONValue = [:], token: String? = nil) async throws -> (HTTPResponse.Status, JSONValue) {
        try await send(.post, "/metadata", token: token, body: ["query": .string(query), "variables": variables])
    }

    /// A JSON request.
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String?, body: JSONValue? = nil) async throws -> (HTTPResponse.Status, JSONValue) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let buffer = try body.map { ByteBuffer(bytes: try JSONEncoder().encode($0)) }
        return try await client.execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            (response.status, response.body.readableBytes == 0 ? JSONValue.null : try decodeJSON(JSONValue.self, from: response.body))
        }
    }

    // MARK: - Flows

    /// Signs `email` up with a new workspace of their own and returns its id.
    func signUpWithWorkspace(_ email: String, emails: Emails) async throws -> UUID {
        let signedUp = try await signUp(email, emails: emails)
        return try #require(UUID(uuidString: signedUp["data"]?["signUpInWorkspace"]?["workspace"]?["id"]?.string ?? ""), "\(signedUp)")
    }

    /// Signs `email` up (a new workspace, or the invitation's), and returns the login token.
    func signUp(_ email: String, password: String = UsersTestBed.password, invitation: String? = nil, emails: Emails) async throws -> JSONValue {
        emails.add(email)
        var variables: [String: JSONValue] = ["email": .string(email), "password": .string(password)]
        if let invitation { variables["token"] = .string(invitation) }
        let (_, json) = try await metadata("""
            mutation($email: String!, $password: String!, $token: String) {
              signUpInWorkspace(email: $email, password: $password, workspacePersonalInviteToken: $token) {
                loginToken { token expiresAt } workspace { id workspaceUrls { subdomainUrl } }
              }
            }
            """, variables: .object(variables))
        return json
    }

    /// Signs in and exchanges the login token: `(accessToken, refreshToken)`.
    func signIn(_ email: String, password: String = UsersTestBed.password, origin: String = "http://localhost:3000") async throws -> (String, String) {
        let (_, login) = try await metadata("""
            mutation($email: String!, $password: String!, $origin: String!) {
              getLoginTokenFromCredentials(email: $email, password: $password, origin: $origin) { loginToken { token expiresAt } }
            }
            """, variables: ["email": .string(email), "password": .string(password), "origin": .string(origin)])
        guard let loginToken = login["data"]?["getLoginTokenFromCredentials"]?["loginToken"]?["token"]?.string else {
            throw TestFailure("sign-in failed: \(login)")
        }
        return try await exchange(loginToken)
    }

    /// `getAuthTokensFromLoginToken`: `(accessToken, refreshToken)`.
    func exchange(_ loginToken: String) async throws -> (String, String) {
        let (_, json) = try await metadata("""
            mutation($token: String!) {
              getAuthTokensFromLoginToken(loginToken: $token, origin: "http://localhost:3000") {
                tokens { accessOrWorkspaceAgnosticToken { token expiresAt } refreshToken { token expiresAt } }
              }
            }
            """, variables: ["token": .string(loginToken)])
        guard let tokens = json["data"]?["getAuthTokensFromLoginToken"]?["tokens"],
              let access = tokens["accessOrWorkspaceAgnosticToken"]?["token"]?.string, let refresh = tokens["refreshToken"]?["token"]?.string
        else { throw TestFailure("token exchange failed: \(json)") }
        return (access, refresh)
    }

    /// `renewToken`: the JSON answer.
    func renew(_ refreshToken: String) async throws -> JSONValue {
        try await metadata("""
            mutation($token: String!) { renewToken(appToken: $token) { tokens { accessOrWorkspaceAgnosticToken { token } refreshToken { token } } } }
            """, variables: ["token": .string(refreshToken)]).1
    }

    /// The first GraphQL error's `extensions.code`.
    static func code(_ json: JSONValue) -> String? { json["errors"]?[0]?["extensions"]?["code"]?.string }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
