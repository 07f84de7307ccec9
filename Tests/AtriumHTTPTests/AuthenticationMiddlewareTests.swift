import AtriumCore
@testable import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// `AuthenticationMiddleware` over a test router, with real API keys in a fresh database.
@Suite(.tags(.integration)) struct AuthenticationMiddlewareTests {
    static let logger = Logger(label: "test.http.auth")

    /// What the protected route answers: the workspace and identity it saw.
    struct Caller: ResponseCodable {
        let workspaceId: String
        let apiKeyId: String
        let tenantWorkspaceId: String
    }

    static func router(authenticator: any BearerTokenAuthenticator) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMappingMiddleware())
        router.get("/open") { _, _ in "open" }
        let rest = router.group("rest").add(middleware: AuthenticationMiddleware(authenticator: authenticator))
        rest.group(context: TenantRequestContext.self).get("whoami") { _, context -> Caller in
            guard case .apiKey(let id, _) = context.identity else { throw AtriumError(.internalError, "no identity") }
            return Caller(workspaceId: context.workspaceID.uuidString.lowercased(), apiKeyId: id.uuidString.lowercased(),
                          tenantWorkspaceId: context.workspaceID.uuidString.lowercased())
        }
        router.get("/unguarded") { _, context -> String in
            _ = try context.requireAuthentication()
            return "unreachable"
        }
        return router
    }

    static func expectUnauthorized(_ response: TestResponse, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == .unauthorized, sourceLocation: sourceLocation)
        let body = try decodeJSON(APIError.Body.self, from: response.body)
        #expect(body == APIError.Body(statusCode: 401, error: "UnauthorizedException", messages: [message], code: "unauthenticated"),
                sourceLocation: sourceLocation)
    }

    @Test func missingGarbageForgedAndRevokedTokensGetTwentys401AndAValidOnePasses() async throws {
        try await TestDatabase.withFreshCore { database, _ in
            let workspace = try await TestWorkspaceRows.insert(in: database, logger: Self.logger)
            let other = try await TestWorkspaceRows.insert(in: database, logger: Self.logger)
            let secrets = TokenSecrets(appSecret: TestEnvironment.fallbackAppSecret)
            let apiKeys = APIKeyManager(database: database, secrets: secrets)
            let created = try await apiKeys.create(workspaceID: workspace, name: "http", logger: Self.logger)
            let forgedClaims = APIKeyClaims(apiKeyID: created.key.id, workspaceID: workspace, issuedAt: Date(), expiresAt: created.key.expiresAt)
            let forged = try await TokenCodec(secrets: secrets).sign(forgedClaims, type: .apiKey, id: other)
            let app = Application(router: Self.router(authenticator: apiKeys), logger: Self.logger)

            try await app.test(.router) { client in
                try await client.execute(uri: "/open", method: .get) { #expect($0.status == .ok) }
                try await client.execute(uri: "/rest/whoami", method: .get) {
                    try Self.expectUnauthorized($0, "Missing authentication token")
                }
                for header in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", created.token] {
                    try await client.execute(uri: "/rest/whoami", method: .get, headers: [.authorization: header]) {
                        try Self.expectUnauthorized($0, "Missing authentication token")
                    }
                }
                for token in ["garbage", forged, created.token + "x"] {
                    try await client.execute(uri: "/rest/whoami", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                        try Self.expectUnauthorized($0, "Invalid token")
                    }
                }
                try await client.execute(uri: "/unguarded", method: .get) { try Self.expectUnauthorized($0, "Missing authentication token") }

                let caller = try await client.execute(uri: "/rest/whoami", method: .get, headers: [.authorization: "bearer \(created.token)"]) {
                    #expect($0.status == .ok)
                    return try decodeJSON(Caller.self, from: $0.body)
                }
                #expect(caller.workspaceId == workspace.uuidString.lowercased())
                #expect(caller.tenantWorkspaceId == workspace.uuidString.lowercased())
                #expect(caller.apiKeyId == created.key.id.uuidString.lowercased())

                try await apiKeys.revoke(id: created.key.id, logger: Self.logger)
                try await client.execute(uri: "/rest/whoami", method: .get, headers: [.authorization: "Bearer \(created.token)"]) {
                    try Self.expectUnauthorized($0, "This API key is revoked")
                }
            }
        }
    }

    @Test func bearerTokenParsing() {
        #expect(AuthenticationMiddleware.bearerToken(nil) == nil)
        #expect(AuthenticationMiddleware.bearerToken("Bearer abc") == "abc")
        #expect(AuthenticationMiddleware.bearerToken("BEARER  abc ") == "abc")
        #expect(AuthenticationMiddleware.bearerToken("Basic abc") == nil)
        #expect(AuthenticationMiddleware.bearerToken("Bearer") == nil)
        #expect(AuthenticationMiddleware.bearerToken("abc") == nil)
    }
}
