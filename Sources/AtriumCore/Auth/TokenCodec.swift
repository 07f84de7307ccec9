import Foundation
import JWTKit

/// Signs and verifies HS256 tokens with the secrets of ``TokenSecrets``.
///
/// Verification never trusts the token to choose its key: the caller names the type and id the secret is derived
/// from (usually after ``peek(_:)`` read the claimed ones), and jwt-kit checks the signature and the payload's own
/// claims (`exp`). Every failure becomes a client-safe ``AtriumError`` with code `unauthenticated`.
///
/// ```swift
/// let codec = TokenCodec(secrets: TokenSecrets(appSecret: appSecret))
/// let token = try await codec.sign(claims, type: .apiKey, id: workspaceID)
/// let verified = try await codec.verify(token, as: APIKeyClaims.self, type: .apiKey, id: workspaceID)
/// ```
///
/// Verified payloads and decoded claims are remembered by token text (``TokenMemo``): a client sending the same token on
/// every request pays for its signature check once, until the token expires.
public struct TokenCodec: Sendable {
    /// The secret derivation.
    public let secrets: TokenSecrets
    let memo: TokenMemo
    /// The time a payload's `exp` is checked against (the system's, but for tests).
    let time: TimeSource

    /// Creates a codec over `secrets` whose expiry checks read `time`.
    public init(secrets: TokenSecrets, time: TimeSource = .system) {
        self.secrets = secrets
        self.memo = TokenMemo()
        self.time = time
    }

    /// Signs `payload` with the secret of (`type`, `id`).
    /// - Throws: when jwt-kit cannot encode or sign the payload.
    public func sign(_ payload: some JWTPayload, type: TokenType, id: UUID) async throws -> String {
        try await keys(type: type, id: id).sign(payload)
    }

    /// Verifies `token`'s signature with the secret of (`type`, `id`) and its payload's claims.
    /// - Throws: ``AtriumError/tokenExpired(file:line:)`` when `exp` has passed, ``AtriumError/invalidToken(file:line:)``
    ///   for anything else (malformed, wrong signature, wrong algorithm).
    public func verify<Payload: JWTPayload>(_ token: String, as _: Payload.Type, type: TokenType, id: UUID) async throws -> Payload {
        let now = time.date
        if let known = memo.payload(of: token, as: Payload.self, type: type, id: id, now: now) { return known }
        do {
            let payload = try await keys(type: type, id: id).verify(token, as: Payload.self)
            if let expiring = payload as? any ExpiringClaims {
                // jwt-kit checked `exp` against the system clock; this codec's time decides too.
                guard expiring.exp.value > now else { throw AtriumError.tokenExpired() }
                memo.remember(payload, of: token, type: type, id: id, expiresAt: expiring.exp.value)
            }
            return payload
        } catch let error as AtriumError {
            throw error
        } catch let error as JWTError where error.errorType == .claimVerificationFailure && error.failedClaim is ExpirationClaim {
            throw AtriumError.tokenExpired()
        } catch {
            throw AtriumError.invalidToken()
        }
    }

    /// Reads `token`'s type and workspace claims without checking its signature.
    /// - Throws: ``AtriumError/invalidToken(file:line:)`` when `token` is not a decodable JWT.
    public func peek(_ token: String) async throws -> UnverifiedClaims {
        if let known = memo.claims(of: token) { return known }
        do {
            let claims = try await JWTKeyCollection().unverified(token, as: UnverifiedClaims.self)
            memo.remember(claims, of: token)
            return claims
        } catch {
            throw AtriumError.invalidToken()
        }
    }

    private func keys(type: TokenType, id: UUID) async -> JWTKeyCollection {
        await JWTKeyCollection().add(hmac: HMACKey(from: secrets.secret(for: type, id: id)), digestAlgorithm: .sha256)
    }
}
