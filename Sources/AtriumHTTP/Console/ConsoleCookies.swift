import Foundation
import HTTPTypes
import Hummingbird

/// Reading and writing the console's cookies.
enum ConsoleCookies {
    /// The value of the cookie `name` in the request's `Cookie` headers.
    static func value(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
                return String(trimmed[trimmed.index(after: equals)...])
            }
        }
        return nil
    }

    /// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure when the console is served over https.
    /// `maxAge` nil makes a browser-session cookie; 0 deletes it.
    static func header(_ name: String, _ value: String, maxAge: Int?, secure: Bool) -> String {
        var text = "\(name)=\(value); Path=/; HttpOnly; SameSite=Lax"
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        if secure { text += "; Secure" }
        return text
    }
}

extension HTTPField.Name {
    /// `X-CSRF-Token`: the session's CSRF token, sent by the console's scripts (and accepted in place of a form's
    /// `csrf` field).
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
}
