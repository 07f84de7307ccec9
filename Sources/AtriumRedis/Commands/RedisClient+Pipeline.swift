import NIOCore
import Synchronization

// MARK: - Explicit pipelining

extension RedisClient {
    /// Sends `commands` on one connection in a single write and returns every reply, in order.
    ///
    /// Concurrent ``send(_:)-(RedisArgument)`` calls are pipelined too; this is the cheaper way when the commands are
    /// known up front (no task per command). Not a transaction: other callers' commands may interleave.
    /// - Parameter commands: The commands.
    /// - Returns: One result per command: the reply, or the ``RedisError`` (`.serverError` for an error reply).
    /// - Throws: ``RedisError`` only if no connection could be obtained (`.unavailable`, `.shutdown`).
    public func pipeline(_ commands: [[RedisArgument]]) async throws -> [Result<RESPValue, RedisError>] {
        guard !commands.isEmpty else { return [] }
        try await self.waitForRun()
        let connection = try await self.pooledConnection()
        self.counters.totalCommands.add(commands.count, ordering: .relaxed)
        self.counters.commandsInFlight.add(commands.count, ordering: .relaxed)
        defer { self.counters.commandsInFlight.subtract(commands.count, ordering: .relaxed) }
        var results: [Result<RESPValue, RedisError>] = []
        results.reserveCapacity(commands.count)
        // One wait for the whole batch: awaiting each future in turn costs an event-loop hop per command.
        let futures = connection.sendBatch(commands)
        for outcome in try await EventLoopFuture.whenAllComplete(futures, on: connection.channel.eventLoop).get() {
            switch outcome {
            case .success(.error(let message)):
                results.append(.failure(RedisError(.serverError, message)))
            case .success(let reply):
                results.append(.success(reply))
            case .failure(let error):
                results.append(.failure(error as? RedisError ?? RedisError(.connectionClosed, "The command failed", underlying: error)))
            }
        }
        let failures = results.reduce(0) { count, result in if case .failure = result { count + 1 } else { count } }
        if failures > 0 { self.counters.totalFailures.add(failures, ordering: .relaxed) }
        return results
    }
}
