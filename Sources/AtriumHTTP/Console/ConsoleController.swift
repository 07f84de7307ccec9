import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The web console at `/console`: pages rendered on the server from Mustache templates, reading and writing through
/// the same services, permission checks and events as the APIs.
///
/// Routes: `/` and `/console` lead to the member's first object; `/console/sign-in`, `/console/sign-up`,
/// `/console/sign-out`, `/invite/:subdomain` (Twenty's invitation link); `/console/objects/…` (records, see
/// ``ConsoleRecordPages``); `/console/assets/…`.
struct ConsoleController: Sendable {
    let templates: ConsoleTemplates
    let authenticator: ConsoleAuthenticator
    let throttle: LoginThrottle
    let workspace: ConsoleWorkspace
    let metadataAPI: MetadataAPI
    /// Cookies carry `Secure` when `SERVER_URL` is https.
    let secureCookies: Bool

    var accounts: UserAccounts { authenticator.accounts }

    func addRoutes(to router: Router<AppRequestContext>) {
        let errors = ConsoleErrorMiddleware(templates: templates)
        router.get("/") { _, _ in ConsoleResponses.redirect("/console") }
        router.get("favicon.ico") { request, context in try asset(request, context, name: "favicon.svg") }
        router.group("invite").add(middleware: errors).get(":subdomain") { request, context in try await invitation(request, context) }
        let console = router.group("console").add(middleware: errors)
        console.get("assets/:name") { request, context in try asset(request, context, name: context.parameters.get("name") ?? "") }
        console.get("") { request, context in try await home(request, context) }
        console.get("sign-in") { request, context in signInPage(request, next: QueryString(request.uri.query)["next"]) }
        console.post("sign-in") { request, context in try await signIn(request, context) }
        console.get("sign-up") { request, _ in signUpPage(request) }
        console.post("sign-up") { request, context in try await signUp(request, context) }
        console.post("invite") { request, context in try await signUp(request, context) }
        console.post("sign-out") { request, context in try await signOut(request, context) }
        console.post("switch-workspace") { request, context in try await switchWorkspace(request, context) }
        ConsoleRecordPages(templates: templates, workspace: workspace).addRoutes(to: console)
        ConsoleDataModelPages(templates: templates, workspace: workspace, metadataAPI: metadataAPI).addRoutes(to: console)
    }

    // MARK: - Assets

    private func asset(_ request: Request, _ context: AppRequestContext, name: String) throws -> Response {
        guard let asset = templates.assets[name] else { throw HTTPError(.notFound) }
        var headers: HTTPFields = [.contentType: asset.contentType, .eTag: asset.etag, .cacheControl: "public, max-age=300"]
        if request.headers[.ifNoneMatch] == asset.etag { return Response(status: .notModified, headers: headers) }
        headers[.contentLength] = String(asset.body.readableBytes)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.body))
    }

    // MARK: - Home

    private func home(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try await workspace.signedIn(request, context)
        let first = page.navigableObjects.first?.namePlural ?? "companies"
        return ConsoleResponses.redirect("/console/objects/\(first)")
    }

    // MARK: - Signing in and up

    /// The pre-session CSRF token of `request` (its `atrium_csrf` cookie), or a new one with the cookie to set.
    private func preSessionToken(_ request: Request) -> (token: String, cookie: String?) {
        if let token = ConsoleCookies.value(ConsoleSessionStore.preSessionCookieName, in: request), ConsoleSessionStore.isWellFormed(token) {
            return (token, nil)
        }
        let token = RandomHex.bytes(32)
        return (token, ConsoleCookies.header(ConsoleSessionStore.preSessionCookieName, token, maxAge: nil, secure: secureCookies))
    }

    /// Refuses a sign-in or sign-up form whose `csrf` is not the browser's pre-session token.
    private func requirePreSessionToken(_ form: ConsoleForm, _ request: Request) throws {
        guard let cookie = ConsoleCookies.value(ConsoleSessionStore.preSessionCookieName, in: request), let sent = form["csrf"],
              ConstantTime.equals(cookie, sent)
        else { throw AtriumError(.forbidden, "This form has expired or did not come from this site. Reload the page and try again.") }
    }

    private func signInPage(_ request: Request, next: String?, email: String = "", error: String? = nil,
                            status: HTTPResponse.Status = .ok) -> Response {
        let (token, cookie) = preSessionToken(request)
        var values: [String: Any] = ["title": "Sign in", "csrf": token, "next": next ?? "", "email": email]
        if let error { values["error"] = error }
        return templates.page("sign-in", values, status: status, headers: cookie.map { [.setCookie: $0] } ?? [:])
    }

    private func signIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try requirePreSessionToken(form, request)
        let email = form.trimmed("email") ?? ""
        let next = form["next"].flatMap { ConsoleResponses.isLocal($0) ? $0 : nil }
        do {
            try await throttle.admit(email: email, address: context.clientAddress, logger: context.logger)
            let (login, workspace) = try await accounts.loginToken(email: email, password: form["password"] ?? "", subdomain: nil,
                                                                   logger: context.logger)
            let pair = try await accounts.tokens(fromLoginToken: login.token, logger: context.logger)
            let user = try await authenticatedUser(pair, context)
            return try await started(pair, userID: user, workspaceID: workspace.id, next: next)
        } catch let error as AtriumError where [.unauthenticated, .forbidden, .rateLimited, .validationFailed].contains(error.code) {
            return signInPage(request, next: next, email: email, error: error.message, status: APIError(error).status)
        }
    }

    private func signUpPage(_ request: Request, invitation: (token: String, email: String, workspace: String)? = nil,
                            values given: [String: String] = [:], error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let (token, cookie) = preSessionToken(request)
        var values: [String: Any] = ["title": invitation == nil ? "Create your workspace" : "Join \(invitation!.workspace)", "csrf": token]
        for (name, value) in given { values[name] = value }
        if let invitation {
            values["invitation"] = ["token": invitation.token, "workspace": invitation.workspace]
            values["email"] = invitation.email
        }
        if let error { values["error"] = error }
        return templates.page("sign-up", values, status: status, headers: cookie.map { [.setCookie: $0] } ?? [:])
    }

    private func signUp(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        try requirePreSessionToken(form, request)
        let email = form.trimmed("email") ?? ""
        let invitationToken = form.trimmed("invitation")
        let kept = ["email": email, "firstName": form["firstName"] ?? "", "lastName": form["lastName"] ?? "", "workspace": form["workspace"] ?? ""]
        do {
            try await throttle.admit(email: email, address: context.clientAddress, logger: context.logger)
            let result = try await accounts.signUp(SignUpRequest(
                email: email, password: form["password"] ?? "", invitationToken: invitationToken,
                workspaceDisplayName: invitationToken == nil ? form.trimmed("workspace") : nil,
                firstName: form.trimmed("firstName") ?? "", lastName: form.trimmed("lastName") ?? ""
            ), logger: context.logger)
            let pair = try await accounts.tokens(fromLoginToken: result.loginToken.token, logger: context.logger)
            return try await started(pair, userID: result.user.id, workspaceID: result.workspace.id, next: nil)
        } catch let error as AtriumError where [.unauthenticated, .forbidden, .rateLimited, .validationFailed, .conflict, .badRequest].contains(error.code) {
            let invitation = invitationToken.map { ($0, email, form["workspaceName"] ?? "the workspace") }
            return signUpPage(request, invitation: invitation, values: kept, error: error.message, status: APIError(error).status)
        }
    }

    /// `/invite/<subdomain>?inviteToken=…&email=…`: the form to join with that invitation (a new account, or the
    /// password of an existing one).
    private func invitation(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = QueryString(request.uri.query)
        guard let token = query["inviteToken"], !token.isEmpty else { throw AtriumError(.badRequest, "This invitation link is incomplete") }
        let subdomain = context.parameters.get("subdomain") ?? ""
        return signUpPage(request, invitation: (token, query["email"] ?? "", subdomain))
    }

    /// The user an access token was issued to (sign-in knows the email, the session keeps the id).
    private func authenticatedUser(_ pair: IssuedTokenPair, _ context: AppRequestContext) async throws -> UUID {
        let authentication = try await accounts.authenticate(token: pair.access.token, logger: context.logger)
        guard case .member(let userID, _, _) = authentication.identity else { throw AtriumError(.internalError, "An access token without a member") }
        return userID
    }

    /// A new session for `pair` (a new id: an earlier cookie is never reused), then on to `next` or the home page.
    private func started(_ pair: IssuedTokenPair, userID: UUID, workspaceID: UUID, next: String?) async throws -> Response {
        let (id, _) = try await authenticator.start(pair, userID: userID, workspaceID: workspaceID)
        let lifetime = Int(authenticator.sessions.lifetime.components.seconds)
        return ConsoleResponses.redirect(next ?? "/console", cookies: [
            ConsoleCookies.header(ConsoleSessionStore.cookieName, id, maxAge: lifetime, secure: secureCookies),
            ConsoleCookies.header(ConsoleSessionStore.preSessionCookieName, "", maxAge: 0, secure: secureCookies),
        ])
    }

    private func signOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        if let signedIn = try await authenticator.signedIn(request, logger: context.logger) {
            try ConsoleWorkspace.requireCSRF(form["csrf"] ?? request.headers[.csrfToken], of: signedIn)
            try await authenticator.sessions.end(id: signedIn.sessionID)
        }
        return ConsoleResponses.redirect("/console/sign-in", cookies: [
            ConsoleCookies.header(ConsoleSessionStore.cookieName, "", maxAge: 0, secure: secureCookies)
        ])
    }

    /// Moves the session to another workspace of the same user (new tokens; the session id is replaced too).
    private func switchWorkspace(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        let page = try await workspace.signedIn(request, context)
        try ConsoleWorkspace.requireCSRF(form["csrf"] ?? request.headers[.csrfToken], of: page.signedIn)
        guard let target = form["workspace"].flatMap(UUID.init(text:)) else { throw AtriumError(.badRequest, "Choose a workspace") }
        let pair = try await accounts.tokens(switchingUser: page.signedIn.session.userID, to: target, logger: context.logger)
        try await authenticator.sessions.end(id: page.signedIn.sessionID)
        return try await started(pair, userID: page.signedIn.session.userID, workspaceID: target, next: nil)
    }
}
