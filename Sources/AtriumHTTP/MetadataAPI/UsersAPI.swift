import AtriumCore
import Foundation
import Logging

/// What the users part of `/metadata` works with: accounts, the login throttle and the public URL (for invitation
/// links and `workspaceUrls`).
struct UsersAPI: Sendable {
    let accounts: UserAccounts
    let throttle: LoginThrottle
    let serverURL: String

    /// The workspace subdomain an `origin` names: the labels before `SERVER_URL`'s host (`https://acme.crm.example.com`
    /// with `SERVER_URL=https://crm.example.com` → `acme`), else the first label of a host of three or more labels.
    /// Nil for `localhost`, an IP address or `SERVER_URL`'s own host: the user's first workspace is then used.
    func subdomain(origin: String) -> String? {
        guard let host = URLComponents(string: origin)?.host?.lowercased(), !host.isEmpty else { return nil }
        let base = URLComponents(string: serverURL)?.host?.lowercased() ?? ""
        if !base.isEmpty, host.hasSuffix("." + base) {
            return String(host.dropLast(base.count + 1)).split(separator: ".").last.map(String.init)
        }
        let labels = host.split(separator: ".")
        guard host != base, labels.count >= 3, !labels.allSatisfy({ $0.allSatisfy(\.isNumber) }) else { return nil }
        return String(labels[0])
    }

    /// `WorkspaceUrls`: `subdomainUrl` is `SERVER_URL` with the subdomain put in front of its host (or `SERVER_URL`
    /// itself when its host is `localhost` or an IP address), `customUrl` is not supported yet.
    func workspaceURLs(_ workspace: WorkspaceRecord) -> [String: any Sendable] {
        var subdomainURL = serverURL
        if var components = URLComponents(string: serverURL), let host = components.host, host != "localhost",
           !host.split(separator: ".").allSatisfy({ $0.allSatisfy(\.isNumber) }) {
            components.host = "\(workspace.subdomain).\(host)"
            subdomainURL = components.string ?? serverURL
        }
        return ["subdomainUrl": subdomainURL]
    }
}
