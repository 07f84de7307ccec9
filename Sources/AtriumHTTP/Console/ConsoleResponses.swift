import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird

/// What a console handler throws to leave the page: a redirect (to sign-in, or after a form) that
/// ``ConsoleErrorMiddleware`` turns into a 303.
struct ConsoleRedirect: Error {
    let location: String
    var cookies: [String] = []
}

/// Redirect and path helpers of the console.
enum ConsoleResponses {
    /// A 303 See Other to `location` (after a form post, the browser GETs it), setting `cookies`.
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    /// The sign-in page, keeping `destination` (a path under /console) to come back to.
    static func signIn(next destination: String?) -> String {
        guard let destination, isLocal(destination), destination != "/console/sign-in" else { return "/console/sign-in" }
        return "/console/sign-in?next=" + percentEncoded(destination)
    }

    /// Whether `path` is a console path of this server (no scheme, no host, no `//`): where `next` may lead.
    static func isLocal(_ path: String) -> Bool {
        path.hasPrefix("/console") && !path.hasPrefix("//") && !path.contains("\\") && !path.contains("://")
    }

    /// `text` percent-encoded for a query value.
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The request's path and query, as `next` keeps it.
    static func pathAndQuery(_ request: Request) -> String {
        request.uri.query.map { request.uri.path + "?" + $0 } ?? request.uri.path
    }
}
