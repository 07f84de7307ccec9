import AtriumCore
import Crypto
import Foundation
import Testing

/// The token secret derivation against vectors computed outside Atrium.
struct TokenSecretsTests {
    static let appSecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
    static let workspace = UUID(uuidString: "20202020-1C25-4D02-BF25-6AECCF7EA419")!

    @Test func derivesTwentysSecretFromAppSecretWorkspaceAndType() {
        let secrets = TokenSecrets(appSecret: Self.appSecret)
        // printf '%s' "<APP_SECRET>20202020-1c25-4d02-bf25-6aeccf7ea419API_KEY" | sha256sum
        #expect(secrets.secret(for: .apiKey, id: Self.workspace) == "cad6a814f10b079bd894864567c7c0c9ea0752ca5eab952512a5f4fc0d0db098")
        #expect(secrets.secret(for: .access, id: Self.workspace) == "8f926be226983f7919f34d5de4a45dd241568a6bc5ca4c09708081bc51ab339d")
    }

    @Test func matchesAPlainSHA256OfTheConcatenation() {
        let secrets = TokenSecrets(appSecret: "short")
        let id = UUID()
        for type in TokenType.allCases {
            let digest = SHA256.hash(data: Data(("short" + id.uuidString.lowercased() + type.rawValue).utf8))
            let expected = digest.map { String(format: "%02x", $0) }.joined()
            #expect(secrets.secret(for: type, id: id) == expected)
            #expect(secrets.secret(for: type, id: id).utf8.count == 64)
        }
    }

    @Test func tokenTypesCarryTwentysNames() {
        #expect(TokenType.allCases.map(\.rawValue) == [
            "ACCESS", "REFRESH", "WORKSPACE_AGNOSTIC", "LOGIN", "FILE", "API_KEY", "POSTGRES_PROXY", "REMOTE_SERVER",
            "KEY_ENCRYPTION_KEY", "APPLICATION_ACCESS", "APPLICATION_REFRESH", "APP_OAUTH_STATE",
        ])
    }
}
