// MARK: - Lua scripting

extension RedisClient {
    /// `EVAL script numkeys key… arg…`.
    /// - Parameters:
    ///   - script: The Lua source.
    ///   - keys: `KEYS` of the script.
    ///   - arguments: `ARGV` of the script.
    /// - Returns: The script's reply.
    @discardableResult
    public func eval(_ script: String, keys: [String] = [], arguments: [RedisArgument] = []) async throws -> RESPValue {
        try await self.send(["EVAL", RedisArgument(script), RedisArgument(keys.count)] + keys.map { RedisArgument($0) } + arguments)
    }

    /// `EVALSHA sha1 numkeys key… arg…`. Throws `.serverError` with a `NOSCRIPT` message if the script is not loaded.
    /// - Parameters:
    ///   - sha1: The script's SHA-1, as returned by ``scriptLoad(_:)``.
    ///   - keys: `KEYS` of the script.
    ///   - arguments: `ARGV` of the script.
    @discardableResult
    public func evalsha(_ sha1: String, keys: [String] = [], arguments: [RedisArgument] = []) async throws -> RESPValue {
        try await self.send(["EVALSHA", RedisArgument(sha1), RedisArgument(keys.count)] + keys.map { RedisArgument($0) } + arguments)
    }

    /// `SCRIPT LOAD script`.
    /// - Returns: The script's SHA-1, for ``evalsha(_:keys:arguments:)``.
    public func scriptLoad(_ script: String) async throws -> String {
        guard let sha = try await self.send(["SCRIPT", "LOAD", RedisArgument(script)]).string else {
            throw RedisError(.unexpectedReply, "SCRIPT LOAD did not return a string")
        }
        return sha
    }
}
