import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Which addresses outbound calls (webhook deliveries, later workflow HTTP steps) may reach: not loopback, private,
/// shared (CGNAT), link-local (cloud metadata services live there: 169.254.169.254), multicast or unspecified
/// addresses, unless `WEBHOOK_ALLOWED_PRIVATE_TARGETS` allows them (tests, private deployments). A host name is
/// resolved and every address it resolves to must be allowed; the check runs when a webhook is saved and again before
/// each delivery, since DNS can change.
public struct OutboundTargetPolicy: Sendable {
    /// Whether private and loopback targets are allowed (`WEBHOOK_ALLOWED_PRIVATE_TARGETS`).
    public let allowsPrivateTargets: Bool

    public init(allowsPrivateTargets: Bool) {
        self.allowsPrivateTargets = allowsPrivateTargets
    }

    /// - Throws: ``AtriumError`` `.badRequest` when `url` is not an absolute http(s) URL with a host, when the host does
    ///   not resolve, or when it resolves to an address this policy refuses.
    public func check(_ url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw AtriumError(.badRequest, "targetUrl must be an absolute http or https URL")
        }
        guard !allowsPrivateTargets else { return }
        let addresses = try Self.resolve(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
        guard !addresses.isEmpty else { throw AtriumError(.badRequest, "targetUrl's host \(host) does not resolve") }
        for address in addresses where !Self.isPublic(address) {
            throw AtriumError(.badRequest, "targetUrl must not point to a loopback, private, link-local or metadata address")
        }
    }

    /// The addresses `host` resolves to, as bytes (4 for IPv4, 16 for IPv6).
    static func resolve(_ host: String) throws -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else {
            throw AtriumError(.badRequest, "targetUrl's host \(host) does not resolve")
        }
        defer { freeaddrinfo(first) }
        var addresses: [[UInt8]] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let socket = entry.pointee.ai_addr {
                switch Int32(socket.pointee.sa_family) {
                case AF_INET:
                    socket.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        var address = pointer.pointee.sin_addr
                        addresses.append(withUnsafeBytes(of: &address) { Array($0) })
                    }
                case AF_INET6:
                    socket.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        var address = pointer.pointee.sin6_addr
                        addresses.append(withUnsafeBytes(of: &address) { Array($0) })
                    }
                default:
                    break
                }
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    /// Whether `address` (4 or 16 bytes) is a public unicast address.
    public static func isPublic(_ address: [UInt8]) -> Bool {
        if address.count == 16 {
            // IPv4-mapped (::ffff:a.b.c.d): judge the IPv4 address.
            if address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xff, address[11] == 0xff { return isPublic(Array(address[12...])) }
            if address.allSatisfy({ $0 == 0 }) || address[0..<15].allSatisfy({ $0 == 0 }) && address[15] == 1 { return false }  // :: and ::1
            if address[0] & 0xfe == 0xfc { return false }  // fc00::/7 unique local
            if address[0] == 0xfe, address[1] & 0xc0 == 0x80 { return false }  // fe80::/10 link-local
            if address[0] == 0xff { return false }  // multicast
            return true
        }
        guard address.count == 4 else { return false }
        let (a, b) = (address[0], address[1])
        switch a {
        case 0, 10, 127: return false  // this network, private, loopback
        case 100 where b & 0xc0 == 64: return false  // 100.64.0.0/10 shared (CGNAT)
        case 169 where b == 254: return false  // link-local, cloud metadata
        case 172 where b & 0xf0 == 16: return false  // 172.16.0.0/12
        case 192 where b == 168: return false  // 192.168.0.0/16
        case 192 where b == 0 && address[2] == 0: return false  // 192.0.0.0/24 protocol assignments
        case 198 where b & 0xfe == 18: return false  // 198.18.0.0/15 benchmarking
        case 224...255: return false  // multicast, reserved, broadcast
        default: return true
        }
    }
}
