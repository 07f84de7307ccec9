import AtriumCore
import AtriumRedis
import Crypto
import Foundation
import Logging
import NIOCore

/// A signed-in browser of the console: the user's access and refresh tokens (the same tokens the API issues, so the
/// same checks apply) and the CSRF token its forms and scripts must send back.
struct ConsoleSession: Codable, Sendable, Equatable {
    var accessToken: String
    var refreshToken: String
    /// Sent back in every form (`csrf`) and script request (`X-CSRF-Token`).
    var csrf: String
    var userID: UUID
    var workspaceID: UUID
}

/// Console sessions in Redis, shared by every `atrium serve` behind the load balancer.
///
/// The cookie holds a random id (32 bytes); Redis holds the session under the SHA-256 of that id, so a read of Redis
/// does not give anyone a usable cookie. Signing in always makes a new id (no session fixation); signing out deletes it.
struct ConsoleSessionStore: Sendable {
    let redis: RedisClient
    /// How long a session lives without use: the refresh token's lifetime.
    let lifetime: Duration

    /// The cookie naming the session.
    static let cookieName = "atrium_session"
    /// The cookie of a browser that is not signed in yet: the CSRF token of the sign-in and sign-up forms.
    static let preSessionCookieName = "atrium_csrf"

    /// Stores `session` under a new id; the id (the cookie's value).
    func create(_ session: ConsoleSession) async throws -> String {
        let id = RandomHex.bytes(32)
        try await save(session, id: id)
        return id
    }

    /// The session `id` names, or nil when there is none (expired, signed out, or never made).
    func session(id: String) async throws -> ConsoleSession? {
        guard Self.isWellFormed(id), let bytes = try await redis.get(Self.key(id)) else { return nil }
        return try? JSONDecoder().decode(ConsoleSession.self, from: Data(bytes.readableBytesView))
    }

    /// Replaces the session `id` names (after its tokens were renewed, or the workspace switched).
    func save(_ session: ConsoleSession, id: String) async throws {
        let data = try JSONEncoder().encode(session)
        _ = try await redis.set(Self.key(id), to: RedisArgument(bytes: Array(data)),
                                expiration: .seconds(Int(max(60, lifetime.components.seconds))))
    }

    /// Ends the session `id` names.
    func end(id: String) async throws {
        guard Self.isWellFormed(id) else { return }
        _ = try await redis.del([Self.key(id)])
    }

    static func key(_ id: String) -> String {
        "atrium:console:session:" + RandomHex.hex(SHA256.hash(data: Array(id.utf8)))
    }

    /// 64 lowercase hex digits: anything else is not one of ours, and is not looked up.
    static func isWellFormed(_ id: String) -> Bool {
        id.utf8.count == 64 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
