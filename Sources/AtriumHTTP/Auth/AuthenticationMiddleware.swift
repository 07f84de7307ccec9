import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Requires `Authorization: Bearer <token>` and resolves it to the request's workspace and identity.
///
/// Apply it to the route groups that need a caller, after ``ErrorMappingMiddleware`` (which turns its errors into
/// Twenty's 401 body `{"statusCode": 401, "error": "UnauthorizedException", "messages": ["Invalid token"]}`):
/// ```swift
/// let authentication = AuthenticationMiddleware(authenticator: apiKeys)
/// let rest = router.group("rest").add(middleware: authentication)
/// rest.get("companies") { request, context in try context.requireAuthentication() … }
/// ```
/// A missing header, another scheme or an empty token is "Missing authentication token"; a token the authenticator
/// rejects carries the authenticator's message ("Invalid token", "Token has expired", "This API key is revoked").
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    /// Which requests go on with no workspace and no identity.
    public enum Anonymous: Sendable {
        /// None: every request needs a valid token.
        case refused
        /// Those with no `Authorization` header at all (for `/metadata`, whose sign-up and sign-in operations are
        /// public; every other operation still answers 401). A header that is present is always checked.
        case withoutHeader
        /// Those without a valid token, whatever their header (for public documents that a valid token tailors).
        case withoutValidToken
    }

    private let authenticator: any BearerTokenAuthenticator
    private let anonymous: Anonymous
    /// The console's sessions: a request without `Authorization` may authenticate with the console's session cookie
    /// (the console's scripts call the API this way); a state change must then carry the session's `X-CSRF-Token`.
    private let consoleSessions: ConsoleAuthenticator?

    /// Creates the middleware.
    /// - Parameters:
    ///   - authenticator: Resolves tokens (API keys and user access tokens, see ``BearerTokenRouter``).
    ///   - anonymous: Which requests go on without a caller.
    public init(authenticator: any BearerTokenAuthenticator, anonymous: Anonymous = .refused) {
        self.init(authenticator: authenticator, anonymous: anonymous, consoleSessions: nil)
    }

    init(authenticator: any BearerTokenAuthenticator, anonymous: Anonymous, consoleSessions: ConsoleAuthenticator?) {
        self.authenticator = authenticator
        self.anonymous = anonymous
        self.consoleSessions = consoleSessions
    }

    /// The same authenticator, letting requests through as `anonymous` says.
    public func allowing(_ anonymous: Anonymous) -> AuthenticationMiddleware {
        AuthenticationMiddleware(authenticator: authenticator, anonymous: anonymous, consoleSessions: consoleSessions)
    }

    /// The same authenticator, also accepting the console's session cookie.
    func acceptingConsoleSessions(_ sessions: ConsoleAuthenticator) -> AuthenticationMiddleware {
        AuthenticationMiddleware(authenticator: authenticator, anonymous: anonymous, consoleSessions: sessions)
    }

    public func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        if request.headers[.authorization] == nil, let consoleSessions,
           ConsoleCookies.value(ConsoleSessionStore.cookieName, in: request) != nil {
            return try await Self.next(request, context, try await Self.consoleAuthentication(request, context, consoleSessions), next)
        }
        if anonymous == .withoutHeader, request.headers[.authorization] == nil { return try await next(request, context) }
        let token = Self.bearerToken(request.headers[.authorization])
        if anonymous == .withoutValidToken {
            guard let token, let authentication = try? await authenticator.authenticate(token: token, logger: context.logger) else {
                return try await next(request, context)
            }
            return try await Self.next(request, context, authentication, next)
        }
        guard let token else { throw AtriumError.missingToken() }
        let authentication = try await authenticator.authenticate(token: token, logger: context.logger)
        return try await Self.next(request, context, authentication, next)
    }

    /// The member of the console session the request's cookie names; a state change needs the session's CSRF token in
    /// `X-CSRF-Token` (a cookie alone is what a forged cross-site request would carry).
    private static func consoleAuthentication(
        _ request: Request, _ context: AppRequestContext, _ sessions: ConsoleAuthenticator
    ) async throws -> Authentication {
        guard let signedIn = try await sessions.signedIn(request, logger: context.logger) else { throw AtriumError.invalidToken() }
        if ![.get, .head, .options].contains(request.method) {
            try ConsoleWorkspace.requireCSRF(request.headers[.csrfToken], of: signedIn)
        }
        return signedIn.authentication
    }

    /// Runs the rest of the chain as `authentication`'s workspace: its database work counts against that workspace's
    /// share of the pool (``DatabaseScope``).
    private static func next(
        _ request: Request, _ context: AppRequestContext, _ authentication: Authentication,
        _ next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        try await DatabaseScope.$workspace.withValue(authentication.workspaceID) {
            try await next(request, Self.context(context, authentication))
        }
    }

    private static func context(_ context: AppRequestContext, _ authentication: Authentication) -> AppRequestContext {
        var context = context
        context.workspaceID = authentication.workspaceID
        context.identity = authentication.identity
        context.logger[metadataKey: "workspace"] = .string(authentication.workspaceID.lowercased)
        return context
    }

    /// The token of a `Bearer` authorization header (scheme case-insensitive), or nil.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        // Trimmed by hand: Foundation's `trimmingCharacters(in:)` bridges through NSString (3–4% of a findOne's CPU).
        var token = parts[1]
        while let first = token.first, first == " " || first == "\t" { token.removeFirst() }
        while let last = token.last, last == " " || last == "\t" { token.removeLast() }
        return token.isEmpty ? nil : String(token)
    }
}
