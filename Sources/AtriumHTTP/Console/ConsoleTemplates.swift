import AtriumCore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// The console's Mustache templates and static assets, embedded in the binary (`ConsoleFiles`, written by the
/// EmbedShippedFiles plugin from `Console/Files/`).
///
/// Templates escape every `{{value}}` as HTML; the console never uses the unescaped `{{{…}}}` form for values that
/// come from users.
struct ConsoleTemplates: Sendable {
    let library: MustacheLibrary
    /// `assets/<name>` → the asset's bytes, content type and ETag.
    let assets: [String: Asset]

    struct Asset: Sendable {
        let body: ByteBuffer
        let contentType: String
        let etag: String
    }

    /// Parses every embedded template.
    /// - Throws: When a template does not parse (a build-time mistake; the console's tests catch it).
    init() throws {
        var library = MustacheLibrary()
        var assets: [String: Asset] = [:]
        for file in ConsoleFiles.files {
            if file.path.hasPrefix("templates/"), file.path.hasSuffix(".mustache") {
                let name = String(file.path.dropFirst("templates/".count).dropLast(".mustache".count))
                try library.register(file.text, named: name)
            } else if file.path.hasPrefix("assets/") {
                let name = String(file.path.dropFirst("assets/".count))
                let type = name.hasSuffix(".css") ? "text/css; charset=utf-8"
                    : name.hasSuffix(".js") ? "text/javascript; charset=utf-8"
                    : name.hasSuffix(".svg") ? "image/svg+xml" : "text/plain; charset=utf-8"
                let etag = "\"" + RandomHex.hex(SHA256.hash(data: Array(file.text.utf8)).prefix(8)) + "\""
                assets[name] = Asset(body: ByteBuffer(string: file.text), contentType: type, etag: etag)
            }
        }
        self.library = library
        self.assets = assets
    }

    /// `template` rendered with `values`, as an HTML response.
    func page(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let html = library.render(values, withTemplate: template) ?? "template \(template) is missing"
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        fields[HTTPField.Name("X-Frame-Options")!] = "DENY"
        fields[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
