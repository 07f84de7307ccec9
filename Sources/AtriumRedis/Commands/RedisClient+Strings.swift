import NIOCore

// MARK: - Keys and strings

extension RedisClient {
    /// `PING`.
    /// - Throws: ``RedisError`` if Redis does not answer `PONG`.
    public func ping() async throws {
        let reply = try await self.send(["PING"])
        guard reply.string == "PONG" else { throw RedisError(.unexpectedReply, "PING did not return PONG") }
    }

    /// `GET key`.
    /// - Parameter key: The key.
    /// - Returns: The value's bytes, or `nil` if the key does not exist.
    public func get(_ key: String) async throws -> ByteBuffer? {
        try await self.send(["GET", RedisArgument(key)]).byteBuffer
    }

    /// `GET key`, decoded as UTF-8.
    /// - Parameter key: The key.
    /// - Returns: The value, or `nil` if the key does not exist.
    public func getString(_ key: String) async throws -> String? {
        try await self.send(["GET", RedisArgument(key)]).string
    }

    /// `SET key value [EX s | PX ms] [NX | XX]`.
    /// - Parameters:
    ///   - key: The key.
    ///   - value: The value (a string literal, `RedisArgument(buffer)`, `RedisArgument(bytes:)` …).
    ///   - expiration: Time to live, if any.
    ///   - condition: `NX` / `XX`.
    /// - Returns: `false` when the condition prevented the write.
    @discardableResult
    public func set(
        _ key: String,
        to value: RedisArgument,
        expiration: RedisExpiration? = nil,
        condition: RedisSetCondition = .always
    ) async throws -> Bool {
        var command: [RedisArgument] = ["SET", RedisArgument(key), value]
        switch expiration {
        case .seconds(let seconds): command += ["EX", RedisArgument(seconds)]
        case .milliseconds(let milliseconds): command += ["PX", RedisArgument(milliseconds)]
        case nil: break
        }
        switch condition {
        case .always: break
        case .ifNotExists: command.append("NX")
        case .ifExists: command.append("XX")
        }
        return !(try await self.send(command).isNull)
    }

    /// `MGET key…`.
    /// - Parameter keys: The keys (at least one).
    /// - Returns: One value per key, `nil` where the key does not exist.
    public func mget(_ keys: [String]) async throws -> [ByteBuffer?] {
        let reply = try await self.send(["MGET"] + keys.map { RedisArgument($0) })
        guard let items = reply.array else { throw RedisError(.unexpectedReply, "MGET did not return an array") }
        return items.map(\.byteBuffer)
    }

    /// `MSET key value …`.
    /// - Parameter pairs: Keys and their values.
    public func mset(_ pairs: [(key: String, value: RedisArgument)]) async throws {
        var command: [RedisArgument] = ["MSET"]
        for pair in pairs { command += [RedisArgument(pair.key), pair.value] }
        try await self.send(command)
    }

    /// `DEL key…`.
    /// - Parameter keys: The keys.
    /// - Returns: How many keys were removed.
    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await self.integer(["DEL"] + keys.map { RedisArgument($0) })
    }

    /// `INCR key`.
    /// - Returns: The value after the increment.
    @discardableResult
    public func incr(_ key: String) async throws -> Int {
        try await self.integer(["INCR", RedisArgument(key)])
    }

    /// `EXPIRE key seconds`.
    /// - Returns: `false` if the key does not exist.
    @discardableResult
    public func expire(_ key: String, seconds: Int) async throws -> Bool {
        try await self.integer(["EXPIRE", RedisArgument(key), RedisArgument(seconds)]) == 1
    }

    /// Sends a command whose reply must be an integer.
    func integer(_ command: [RedisArgument]) async throws -> Int {
        guard case .integer(let value) = try await self.send(command) else {
            throw RedisError(.unexpectedReply, "\(command.first.map { String(decoding: $0.bytes, as: UTF8.self) } ?? "") did not return an integer")
        }
        return value
    }
}
