import Foundation
import Synchronization

/// What ``TokenCodec`` already learned about token texts, so a client presenting the same token on every request costs
/// one signature check and one JSON decoding, not one per request.
///
/// A token text never changes meaning: its unverified claims are remembered as decoded, and a verified payload is
/// remembered with the type and id whose secret verified it (a lookup under another secret misses) until its `exp`.
/// Only payloads with an expiry are remembered, so no verification outlives the token. Revocation is not this memo's
/// business: callers check the key or refresh token rows after verification, as before.
///
/// Bounded: at ``capacity`` entries a table starts again empty, which keeps a flood of distinct tokens from costing
/// more than that.
final class TokenMemo: Sendable {
    struct Verified: Sendable {
        let payload: any Sendable
        let type: TokenType
        let id: UUID
        let expiresAt: Date
    }

    let capacity: Int
    private let peeked = Mutex([String: UnverifiedClaims]())
    private let verified = Mutex([String: Verified]())

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 1)
    }

    func claims(of token: String) -> UnverifiedClaims? {
        peeked.withLock { $0[token] }
    }

    func remember(_ claims: UnverifiedClaims, of token: String) {
        peeked.withLock { table in
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[token] = claims
        }
    }

    /// The payload verified earlier with the secret of (`type`, `id`), unless it has expired since.
    func payload<Payload>(of token: String, as _: Payload.Type, type: TokenType, id: UUID, now: Date) -> Payload? {
        verified.withLock { table in
            guard let entry = table[token] else { return nil }
            guard entry.expiresAt > now else {
                table[token] = nil
                return nil
            }
            guard entry.type == type, entry.id == id else { return nil }
            return entry.payload as? Payload
        }
    }

    func remember(_ payload: some Sendable, of token: String, type: TokenType, id: UUID, expiresAt: Date) {
        verified.withLock { table in
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[token] = Verified(payload: payload, type: type, id: id, expiresAt: expiresAt)
        }
    }
}
