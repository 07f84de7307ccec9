// MARK: - REDIS_URL

extension RedisConfiguration {
    /// The form `REDIS_URL` must have, as shown in error messages.
    public static let urlForm = "redis://[[username]:password@]host[:port][/db]"

    /// Parses a `REDIS_URL`: `redis://[[username]:password@]host[:port][/db]`.
    ///
    /// Examples: `redis://127.0.0.1:6379`, `redis://:secret@cache:6380/2`, `redis://app:secret@[::1]:6379/0`.
    /// User name and password may be percent-encoded. The port defaults to 6379 and the database to 0;
    /// other settings keep their defaults and can be changed on the returned value.
    /// - Parameter url: The URL.
    /// - Throws: ``RedisError`` with code `.invalidURL`, whose message names `REDIS_URL` and the expected form.
    public init(url: String) throws(RedisError) {
        self.init()
        let scheme = "redis://"
        guard url.hasPrefix(scheme) else {
            throw Self.invalid(url.hasPrefix("rediss://") ? "TLS (rediss://) is not supported" : "the scheme must be redis://")
        }
        var rest = Substring(url.dropFirst(scheme.count))

        // Path: /db
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let database = Int(path), database >= 0 else { throw Self.invalid("the database must be a non-negative integer") }
                self.database = database
            }
        }
        guard !rest.contains("?"), !rest.contains("#") else { throw Self.invalid("query strings and fragments are not supported") }

        // User info: [username]:password@
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard let colon = userInfo.firstIndex(of: ":") else {
                throw Self.invalid("credentials must be written as username:password@ or :password@")
            }
            let username = try Self.percentDecoded(userInfo[..<colon])
            let password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
            self.username = username.isEmpty ? nil : username
            self.password = password.isEmpty ? nil : password
        }

        // Host and port: host[:port] or [ipv6][:port]
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw Self.invalid("an IPv6 host must be closed by ]") }
            self.host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw Self.invalid("unexpected text after the host") }
                portText = after.dropFirst()
            }
        } else if let colon = rest.firstIndex(of: ":") {
            self.host = String(rest[..<colon])
            portText = rest[rest.index(after: colon)...]
        } else {
            self.host = String(rest)
        }
        guard !self.host.isEmpty else { throw Self.invalid("the host is missing") }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { throw Self.invalid("the port must be between 1 and 65535") }
            self.port = port
        }
    }

    private static func invalid(_ reason: String) -> RedisError {
        RedisError(.invalidURL, "REDIS_URL is invalid: \(reason); expected \(urlForm)")
    }

    private static func percentDecoded(_ text: Substring) throws(RedisError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { throw Self.invalid("bad percent-encoding in the credentials") }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
