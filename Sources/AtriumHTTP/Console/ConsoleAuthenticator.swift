import AtriumCore
import Foundation
import Hummingbird
import Logging

/// A browser signed in to the console: its session and who it acts as.
struct ConsoleSignedIn: Sendable {
    /// The session cookie's value.
    let sessionID: String
    let session: ConsoleSession
    let authentication: Authentication

    /// The member this browser acts as.
    var memberID: UUID? {
        if case .member(_, let memberID, _) = authentication.identity { return memberID }
        return nil
    }

    /// The member's display name.
    var memberName: String {
        if case .member(_, _, let name) = authentication.identity { return name }
        return ""
    }
}

/// Resolves the console's session cookie to the signed-in member, through the same token checks as the API.
///
/// The session holds the user's access and refresh tokens. Each request verifies the access token as a bearer token is
/// verified (signature, expiry, membership, workspace status); an expired one is renewed with the refresh token (and
/// the session saved), so a session lives as long as its refresh token does.
struct ConsoleAuthenticator: Sendable {
    let sessions: ConsoleSessionStore
    let accounts: UserAccounts

    /// The signed-in browser of `request`, or nil when it has no live session (none, expired, signed out, or the
    /// member was removed).
    /// - Throws: ``AtriumError`` `forbidden` for a suspended workspace or a disabled user; `unavailable` when Redis or
    ///   PostgreSQL cannot be reached.
    func signedIn(_ request: Request, logger: Logger) async throws -> ConsoleSignedIn? {
        guard let id = ConsoleCookies.value(ConsoleSessionStore.cookieName, in: request),
              var session = try await sessions.session(id: id)
        else { return nil }
        do {
            let authentication = try await accounts.authenticate(token: session.accessToken, logger: logger)
            return ConsoleSignedIn(sessionID: id, session: session, authentication: authentication)
        } catch let error as AtriumError where error.code == .unauthenticated {
            // An expired access token: renew it once with the refresh token; a session that cannot is over.
            guard let pair = try? await accounts.renew(refreshToken: session.refreshToken, logger: logger),
                  let authentication = try? await accounts.authenticate(token: pair.access.token, logger: logger)
            else {
                try? await sessions.end(id: id)
                return nil
            }
            session.accessToken = pair.access.token
            session.refreshToken = pair.refresh.token
            try await sessions.save(session, id: id)
            return ConsoleSignedIn(sessionID: id, session: session, authentication: authentication)
        }
    }

    /// Starts a session for the tokens of a sign-in or sign-up; the new session's id (a new one every time).
    func start(_ pair: IssuedTokenPair, userID: UUID, workspaceID: UUID) async throws -> (id: String, session: ConsoleSession) {
        let session = ConsoleSession(accessToken: pair.access.token, refreshToken: pair.refresh.token, csrf: RandomHex.bytes(24),
                                     userID: userID, workspaceID: workspaceID)
        return (try await sessions.create(session), session)
    }
}
