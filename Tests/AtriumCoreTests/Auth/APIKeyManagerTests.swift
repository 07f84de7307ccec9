import AtriumCore
import AtriumTestSupport
import Crypto
import Foundation
import Logging
import PostgresNIO
import Testing

/// API keys against a real PostgreSQL: issuing, verifying, rejecting.
@Suite(.tags(.integration)) struct APIKeyManagerTests {
    static let logger = Logger(label: "test.api-keys")
    static let secrets = TokenSecrets(appSecret: TestEnvironment.fallbackAppSecret)

    var logger: Logger { Self.logger }

    @Test func createdTokenIsTwentysJWTAndAuthenticatesToItsWorkspace() async throws {
        try await TestDatabase.withFreshCore { database, _ in
            let workspace = try await TestWorkspaceRows.insert(in: database, logger: Self.logger)
            let apiKeys = APIKeyManager(database: database, secrets: Self.secrets)
            let created = try await apiKeys.create(workspaceID: workspace, name: "  Zapier ", logger: Self.logger)
            #expect(created.key.name == "Zapier")
            #expect(created.key.workspaceID == workspace)
            let lifetime = created.key.expiresAt.timeIntervalSince(created.key.createdAt)
            #expect(abs(lifetime - 100 * 365.25 * 86_400) < 5)

            let auth = try await apiKeys.authenticate(token: created.token, logger: Self.logger)
            #expect(auth == Authentication(workspaceID: workspace, identity: .apiKey(id: created.key.id, name: "Zapier")))

            // The wire format, checked without jwt-kit: HS256 over the derived secret, Twenty's claims.
            let parts = try JWTParts(created.token)
            #expect(parts.header["alg"] as? String == "HS256")
            let workspaceText = workspace.uuidString.lowercased()
            #expect(parts.payload["sub"] as? String == workspaceText)
            #expect(parts.payload["workspaceId"] as? String == workspaceText)
            #expect(parts.payload["type"] as? String == "API_KEY")
            #expect(parts.payload["jti"] as? String == created.key.id.uuidString.lowercased())
            #expect(JWTParts.number(parts.payload["exp"]) == created.key.expiresAt.timeIntervalSince1970)
            #expect(JWTParts.number(parts.payload["iat"]) != nil)
            let secret = SymmetricKey(data: Data(Self.secrets.secret(for: .apiKey, id: workspace).utf8))
            let mac = HMAC<SHA256>.authenticationCode(for: Data(parts.signingInput.utf8), using: secret)
            #expect(parts.signature == JWTParts.base64URLEncode(mac))

            let short = try await apiKeys.create(workspaceID: workspace, name: "short", expiresIn: .seconds(3600), logger: Self.logger)
            #expect(abs(short.key.expiresAt.timeIntervalSinceNow - 3600) < 5)
            #expect(try await apiKeys.list(workspaceID: workspace, logger: Self.logger).map(\.id) == [created.key.id, short.key.id])
        }
    }

    @Test func rejectsGarbageTamperedForgedAndUnknownTokens() async throws {
        try await TestDatabase.withFreshCore { database, _ in
            let workspaceA = try await TestWorkspaceRows.insert(in: database, logger: Self.logger)
            let workspaceB = try await TestWorkspaceRows.insert(in: database, logger: Self.logger)
            let apiKeys = APIKeyManager(database: database, secrets: Self.secrets)
            let codec = TokenCodec(secrets: Self.secrets)
            let keyA = try await apiKeys.create(workspaceID: workspaceA, name: "a", logger: Self.logger)
            let keyB = try await apiKeys.create(workspaceID: workspaceB, name: "b", logger: Self.logger)
            let inAYear = Date().addingTimeInterval(365 * 86_400)

            for garbage in ["", "garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.", keyA.token + "x"] {
                await expectAuthError("Invalid token") { _ = try await apiKeys.authenticate(token: garbage, logger: Self.logger) }
            }
            // A signature byte changed (the middle of the signature, so base64url padding bits cannot hide it).
            var characters = Array(keyA.token)
            let index = characters.count - 20
            characters[index] = characters[index] == "A" ? "B" : "A"
            await expectAuthError("Invalid token") { _ = try await apiKeys.authenticate(token: String(characters), logger: Self.logger) }

            // Claims of workspace A signed with workspace B's secret.
            let claimsA = APIKeyClaims(apiKeyID: keyA.key.id, workspaceID: workspaceA, issuedAt: Date(), expiresAt: inAYear)
            let forged = try await codec.sign(claimsA, type: .apiKey, id: workspaceB)
            await expectAuthError("Invalid token") { _ = try await apiKeys.authenticate(token: forged, logger: Self.logger) }
            // The right claims signed with the secret of another token type.
            let accessSigned = try await codec.sign(claimsA, type: .access, id: workspaceA)
            await expectAuthError("Invalid token") { _ = try await apiKeys.authenticate(token: accessSigned, logger: Self.logger) }
            // Well signed, but no such key.
            let unknown = APIKeyClaims(apiKeyID: UUID(), workspaceID: workspaceA, issuedAt: Date(), expiresAt: inAYear)
            let unknownToken = try await codec.sign(unknown, type: .apiKey, id: workspaceA)
            await expectAuthError("Invalid token") { _ = try await apiKeys.authenticate(token: unknownToken, logger: Self.logger) }
            // B's key presented as a key of A, even correctly signed for A, never yields A.
            let crossed = APIKeyClaims(apiKeyID: keyB.key.id, workspaceID: workspaceA, issuedAt: Date(), expiresAt: inAYear)
            let crossedToken = try await codec.sign(crossed, type: .apiKey, id: workspaceA)
            await expectAuthError("Invalid token") { _ = try await apiKeys.authenticate(token: crossedToken, logger: Self.logger) }
            #expect(try await apiKeys.authenticate(token: keyB.token, logger: Self.logger).workspaceID == workspaceB)
        }
    }

    @Test func rejectsExpiredTokensAndExpiredKeys() async throws {
        try await TestDatabase.withFreshCore { database, _ in
            let workspace = try await TestWorkspaceRows.insert(in: database, logger: Self.logger)
            let apiKeys = APIKeyManager(database: database, secrets: Self.secrets)
            let created = try await apiKeys.create(workspaceID: workspace, name: "k", logger: Self.logger)
            let past = APIKeyClaims(apiKeyID: created.key.id, workspaceID: workspace, issuedAt: Date(timeIntervalSinceNow: -7200),
                                    expiresAt: Date(timeIntervalSinceNow: -3600))
            let expired = try await TokenCodec(secrets: Self.secrets).sign(past, type: .apiKey, id: workspace)
            await expectAuthError("Token has expired") { _ = try await apiKeys.authenticate(token: expired, logger: Self.logger) }

            // The row expired while the token's exp is still ahead.
            _ = try await database.query("""
                UPDATE core."apiKey" SET "expiresAt" = now() - interval '1 minute' WHERE id = \(created.key.id)
                """, logger: Self.logger)
            let fresh = APIKeyManager(database: database, secrets: Self.secrets)
            await expectAuthError("Token has expired") { _ = try await fresh.authenticate(token: created.token, logger: Self.logger) }
        }
    }

    @Test func revocationAppliesAtOnceInProcessAndWithinTheTTLElsewhere() async throws {
        try await TestDatabase.withFreshCore { database, _ in
            let workspace = try await TestWorkspaceRows.insert(in: database, logger: Self.logger)
            // `here` trusts a row for an hour of its clock's time, which the test moves past by hand: the window is
            // open however slow the machine, and then closed.
            let clock = ManualClock()
            let here = APIKeyManager(database: database, secrets: Self.secrets, cacheTTL: .seconds(3600), time: clock.time)
            let elsewhere = APIKeyManager(database: database, secrets: Self.secrets)
            let first = try await here.create(workspaceID: workspace, name: "first", logger: Self.logger)
            let second = try await here.create(workspaceID: workspace, name: "second", logger: Self.logger)

            // Revoked through this instance: rejected on the very next request, although the row was cached.
            _ = try await here.authenticate(token: first.token, logger: Self.logger)
            let revoked = try await here.revoke(id: first.key.id, logger: Self.logger)
            let revokedAt = try #require(revoked.revokedAt)
            await expectAuthError("This API key is revoked") { _ = try await here.authenticate(token: first.token, logger: Self.logger) }
            #expect(try await here.revoke(id: first.key.id, logger: Self.logger).revokedAt == revokedAt)

            // Revoked through another instance: an instance trusts its cached row until the TTL ends, then reads it again.
            _ = try await here.authenticate(token: second.token, logger: Self.logger)
            try await elsewhere.revoke(id: second.key.id, workspaceID: workspace, logger: Self.logger)
            let trusted = try? await here.authenticate(token: second.token, logger: Self.logger)
            #expect(trusted?.workspaceID == workspace, "within the TTL the cached row is trusted")
            clock.advance(by: here.cacheTTL)
            await expectAuthError("This API key is revoked") { _ = try await here.authenticate(token: second.token, logger: Self.logger) }

            let listed = try await here.list(workspaceID: workspace, logger: Self.logger)
            #expect(Set(listed.map(\.id)) == [first.key.id, second.key.id])
            #expect(listed.count == 2 && listed.allSatisfy { $0.revokedAt != nil })
            let nobody = UUID()
            await expectAuthError("API key \(nobody.uuidString.lowercased()) not found", code: .notFound) {
                try await here.revoke(id: nobody, logger: Self.logger)
            }
            let other = try await TestWorkspaceRows.insert(in: database, logger: Self.logger)
            let key = try await here.create(workspaceID: workspace, name: "third", logger: Self.logger)
            await expectAuthError("API key \(key.key.id.uuidString.lowercased()) not found", code: .notFound) {
                try await here.revoke(id: key.key.id, workspaceID: other, logger: Self.logger)
            }
        }
    }

    @Test func workspaceStateAndInputsAreChecked() async throws {
        try await TestDatabase.withFreshCore { database, _ in
            let apiKeys = APIKeyManager(database: database, secrets: Self.secrets)
            let suspended = try await TestWorkspaceRows.insert(status: "SUSPENDED", in: database, logger: Self.logger)
            let inactive = try await TestWorkspaceRows.insert(status: "INACTIVE", in: database, logger: Self.logger)
            let suspendedKey = try await apiKeys.create(workspaceID: suspended, name: "s", logger: Self.logger)
            let inactiveKey = try await apiKeys.create(workspaceID: inactive, name: "i", logger: Self.logger)
            await expectAuthError("This workspace is suspended", code: .forbidden) {
                _ = try await apiKeys.authenticate(token: suspendedKey.token, logger: Self.logger)
            }
            await expectAuthError("This workspace is not active", code: .forbidden) {
                _ = try await apiKeys.authenticate(token: inactiveKey.token, logger: Self.logger)
            }

            let missing = UUID()
            await expectAuthError("Workspace \(missing.uuidString.lowercased()) not found", code: .notFound) {
                _ = try await apiKeys.create(workspaceID: missing, name: "x", logger: Self.logger)
            }
            await expectAuthError("An API key needs a name", code: .validationFailed) {
                _ = try await apiKeys.create(workspaceID: suspended, name: "  ", logger: Self.logger)
            }
            await expectAuthError("An API key's lifetime must be positive", code: .validationFailed) {
                _ = try await apiKeys.create(workspaceID: suspended, name: "x", expiresIn: .zero, logger: Self.logger)
            }
        }
    }
}

/// A burst of requests with one key shares one read of its row.
@Suite(.tags(.integration)) struct APIKeyLookupBurstTests {
    @Test func concurrentRequestsWithOneKeyReadItsRowOnce() async throws {
        try await TestDatabase.withFreshCore { database, settings in
            let logger = APIKeyManagerTests.logger
            let workspace = try await TestWorkspaceRows.insert(in: database, logger: logger)
            let created = try await APIKeyManager(database: database, secrets: APIKeyManagerTests.secrets)
                .create(workspaceID: workspace, name: "burst", logger: logger)
            let operations = DatabaseOperationCounter()
            let counted = Database(settings: settings, logger: logger, metricsFactory: operations)
            let clock = ManualClock()
            let apiKeys = APIKeyManager(database: counted, secrets: APIKeyManagerTests.secrets, cacheTTL: .seconds(3600), time: clock.time)
            try await withThrowingTaskGroup(of: Void.self) { group throws in
                group.addTask { await counted.run() }
                defer { group.cancelAll() }
                func burst() async throws -> Set<UUID> {
                    try await withThrowingTaskGroup(of: UUID.self) { requests in
                        for _ in 0..<32 {
                            requests.addTask { try await apiKeys.authenticate(token: created.token, logger: logger).workspaceID }
                        }
                        return try await requests.reduce(into: []) { $0.insert($1) }
                    }
                }
                #expect(try await burst() == [workspace])
                #expect(operations.count == 1)
                clock.advance(by: apiKeys.cacheTTL)  // the entry expires: the next burst reads it again, once
                #expect(try await burst() == [workspace])
                #expect(operations.count == 2)
            }
        }
    }
}
