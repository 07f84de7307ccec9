@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Testing

/// A token verified once is served from ``TokenMemo`` afterwards, only under the secret that verified it, and never
/// past its expiry.
struct TokenCodecMemoTests {
    let clock = ManualClock()
    let codec: TokenCodec

    init() {
        codec = TokenCodec(secrets: TokenSecrets(appSecret: String(repeating: "s", count: 64)), time: clock.time)
    }

    @Test func aVerifiedTokenIsRememberedUnderItsOwnSecretOnly() async throws {
        let workspace = UUID()
        let issued = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))  // JWT dates are whole seconds
        let claims = APIKeyClaims(apiKeyID: UUID(), workspaceID: workspace, issuedAt: issued, expiresAt: issued.addingTimeInterval(3600))
        let token = try await codec.sign(claims, type: .apiKey, id: workspace)
        #expect(try await codec.verify(token, as: APIKeyClaims.self, type: .apiKey, id: workspace) == claims)
        #expect(codec.memo.payload(of: token, as: APIKeyClaims.self, type: .apiKey, id: workspace, now: Date()) == claims)
        #expect(try await codec.verify(token, as: APIKeyClaims.self, type: .apiKey, id: workspace) == claims)
        #expect(try await codec.peek(token).claimedWorkspaceID == workspace)
        // Another workspace's or type's secret never accepts it, remembered or not.
        await #expect(throws: AtriumError.self) { try await codec.verify(token, as: APIKeyClaims.self, type: .apiKey, id: UUID()) }
        await #expect(throws: AtriumError.self) { try await codec.verify(token, as: APIKeyClaims.self, type: .access, id: workspace) }
        // One changed character is another text: verified afresh, and refused.
        var tampered = Array(token)
        tampered[tampered.count - 2] = tampered[tampered.count - 2] == "A" ? "B" : "A"
        await #expect(throws: AtriumError.self) { try await codec.verify(String(tampered), as: APIKeyClaims.self, type: .apiKey, id: workspace) }
    }

    @Test func aRememberedTokenExpiresOnTime() async throws {
        let workspace = UUID()
        let issued = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let claims = APIKeyClaims(apiKeyID: UUID(), workspaceID: workspace, issuedAt: issued, expiresAt: issued.addingTimeInterval(2))
        let token = try await codec.sign(claims, type: .apiKey, id: workspace)
        _ = try await codec.verify(token, as: APIKeyClaims.self, type: .apiKey, id: workspace)
        #expect(codec.memo.payload(of: token, as: APIKeyClaims.self, type: .apiKey, id: workspace, now: clock.time.date) == claims)
        clock.advance(by: .seconds(2.2))
        #expect(codec.memo.payload(of: token, as: APIKeyClaims.self, type: .apiKey, id: workspace, now: clock.time.date) == nil)
        let error = await #expect(throws: AtriumError.self) {
            try await codec.verify(token, as: APIKeyClaims.self, type: .apiKey, id: workspace)
        }
        #expect(error?.message == AtriumError.tokenExpired().message)
    }

    @Test func theMemoIsBounded() {
        let memo = TokenMemo(capacity: 3)
        for index in 0..<10 {
            memo.remember(UnverifiedClaims(type: "API_KEY", workspaceId: nil, sub: "\(index)"), of: "token-\(index)")
        }
        #expect(memo.claims(of: "token-9")?.sub == "9")
        #expect((0..<10).filter { memo.claims(of: "token-\($0)") != nil }.count <= 3)
    }
}
