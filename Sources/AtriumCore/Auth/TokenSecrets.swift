import Crypto
import Foundation

/// Derives the HS256 secret of every token exactly as Twenty does:
/// `sha256_hex(APP_SECRET + <id> + <TYPE>)`.
///
/// `<id>` is the workspace id (the user id for ``TokenType/workspaceAgnostic`` tokens) in lower-case UUID text,
/// `<TYPE>` the ``TokenType`` raw value, and the secret is the lower-case hex text of the digest. Its 64 ASCII bytes
/// are the HMAC key, which also keeps jwt-kit's 32-byte minimum satisfied for any `APP_SECRET`.
///
/// ```swift
/// let secrets = TokenSecrets(appSecret: configuration.appSecret)
/// let secret = secrets.secret(for: .apiKey, id: workspaceID)   // "9f86d0…" (64 hex characters)
/// ```
public struct TokenSecrets: Sendable {
    private let appSecret: String

    /// Creates the derivation for `appSecret` (the `APP_SECRET` setting).
    public init(appSecret: String) {
        self.appSecret = appSecret
    }

    /// The secret of tokens of `type` bound to `id`.
    /// - Parameters:
    ///   - type: The token type.
    ///   - id: The workspace id (the user id for workspace-agnostic tokens).
    public func secret(for type: TokenType, id: UUID) -> String {
        secret(for: type, id: id.lowercased)
    }

    /// The secret of tokens of `type` bound to the id text `id`, used verbatim.
    public func secret(for type: TokenType, id: String) -> String {
        let digest = SHA256.hash(data: Data((appSecret + id + type.rawValue).utf8))
        return RandomHex.hex(digest)
    }
}
