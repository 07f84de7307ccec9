import NIOCore

// MARK: - Streams

extension RedisClient {
    /// `XADD stream [MAXLEN ~ n] id field value …`.
    /// - Parameters:
    ///   - stream: The stream key.
    ///   - id: The entry ID; `*` lets Redis choose.
    ///   - fields: The fields, in order.
    ///   - approximateMaxLength: Trim the stream to about this many entries.
    /// - Returns: The new entry's ID.
    @discardableResult
    public func xadd(
        _ stream: String,
        id: String = "*",
        fields: [(name: String, value: RedisArgument)],
        approximateMaxLength: Int? = nil
    ) async throws -> String {
        var command: [RedisArgument] = ["XADD", RedisArgument(stream)]
        if let approximateMaxLength { command += ["MAXLEN", "~", RedisArgument(approximateMaxLength)] }
        command.append(RedisArgument(id))
        for field in fields { command += [RedisArgument(field.name), field.value] }
        guard let entryID = try await self.send(command).string else { throw RedisError(.unexpectedReply, "XADD did not return an ID") }
        return entryID
    }

    /// `XGROUP CREATE stream group start [MKSTREAM]`.
    /// - Parameters:
    ///   - stream: The stream key.
    ///   - group: The consumer group.
    ///   - startID: Where the group starts reading: `$` (new entries only) or `0` (everything).
    ///   - makeStream: Create the stream if missing (`MKSTREAM`).
    ///   - ignoreExisting: Treat Redis' `BUSYGROUP` error (the group exists) as success.
    /// - Returns: `true` if the group was created, `false` if it existed (only with `ignoreExisting`).
    /// - Throws: ``RedisError`` `.serverError` (with a `BUSYGROUP` message when the group exists and `ignoreExisting` is `false`).
    @discardableResult
    public func xgroupCreate(
        _ stream: String,
        group: String,
        startID: String = "$",
        makeStream: Bool = true,
        ignoreExisting: Bool = true
    ) async throws -> Bool {
        var command: [RedisArgument] = ["XGROUP", "CREATE", RedisArgument(stream), RedisArgument(group), RedisArgument(startID)]
        if makeStream { command.append("MKSTREAM") }
        do {
            try await self.send(command)
            return true
        } catch let error as RedisError where ignoreExisting && error.code == .serverError && error.message.hasPrefix("BUSYGROUP") {
            return false
        }
    }

    /// `XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] STREAMS key… id…`.
    ///
    /// A blocking read holds its pooled connection: commands pipelined behind it wait. Keep `block` short, or give
    /// blocking consumers their own `RedisClient`. Its reply may take `block` plus `commandTimeout`.
    /// - Parameters:
    ///   - group: The consumer group.
    ///   - consumer: This consumer's name.
    ///   - streams: Stream keys with the ID to read after: `>` for new entries, `0` for this consumer's pending ones.
    ///   - count: At most this many entries per stream.
    ///   - blockMilliseconds: Wait up to this long for entries; `nil` does not block. A blocking read holds its pooled
    ///     connection: commands other callers pipelined behind it wait too (and may time out), so block only on a
    ///     client no one else uses.
    /// - Returns: One result per stream that had entries; empty when nothing arrived.
    public func xreadgroup(
        group: String,
        consumer: String,
        streams: [(key: String, id: String)],
        count: Int? = nil,
        blockMilliseconds: Int? = nil
    ) async throws -> [RedisStreamReadResult] {
        var command: [RedisArgument] = ["XREADGROUP", "GROUP", RedisArgument(group), RedisArgument(consumer)]
        if let count { command += ["COUNT", RedisArgument(count)] }
        if let blockMilliseconds { command += ["BLOCK", RedisArgument(blockMilliseconds)] }
        command.append("STREAMS")
        command += streams.map { RedisArgument($0.key) }
        command += streams.map { RedisArgument($0.id) }
        let timeout = blockMilliseconds.map { self.configuration.commandTimeout + .milliseconds(Int64($0)) }
        let reply = try await self.send(command, timeout: timeout)
        if reply.isNull { return [] }
        guard let perStream = reply.array else { throw RedisError(.unexpectedReply, "XREADGROUP did not return an array") }
        return try perStream.map { item in
            guard let pair = item.array, pair.count == 2, let stream = pair[0].string else {
                throw RedisError(.unexpectedReply, "XREADGROUP returned a malformed stream result")
            }
            return RedisStreamReadResult(stream: stream, entries: try RedisStreamEntry.list(pair[1]))
        }
    }

    /// `XACK stream group id…`.
    /// - Returns: How many entries were acknowledged.
    @discardableResult
    public func xack(_ stream: String, group: String, ids: [String]) async throws -> Int {
        try await self.integer(["XACK", RedisArgument(stream), RedisArgument(group)] + ids.map { RedisArgument($0) })
    }

    /// `XAUTOCLAIM stream group consumer min-idle-time start [COUNT n]`: takes over entries pending too long elsewhere.
    /// - Parameters:
    ///   - stream: The stream key.
    ///   - group: The consumer group.
    ///   - consumer: The consumer that takes the entries.
    ///   - minIdleMilliseconds: Only entries idle at least this long.
    ///   - start: Where to start scanning the pending list (`0-0`, then the previous ``RedisAutoClaimResult/nextStart``).
    ///   - count: At most this many entries.
    public func xautoclaim(
        _ stream: String,
        group: String,
        consumer: String,
        minIdleMilliseconds: Int,
        start: String = "0-0",
        count: Int? = nil
    ) async throws -> RedisAutoClaimResult {
        var command: [RedisArgument] = [
            "XAUTOCLAIM", RedisArgument(stream), RedisArgument(group), RedisArgument(consumer),
            RedisArgument(minIdleMilliseconds), RedisArgument(start),
        ]
        if let count { command += ["COUNT", RedisArgument(count)] }
        let reply = try await self.send(command)
        guard let items = reply.array, items.count >= 2, let next = items[0].string else {
            throw RedisError(.unexpectedReply, "XAUTOCLAIM returned a malformed reply")
        }
        let deleted = items.count > 2 ? (items[2].array ?? []).compactMap(\.string) : []
        return RedisAutoClaimResult(nextStart: next, entries: try RedisStreamEntry.list(items[1]), deletedIDs: deleted)
    }
}
