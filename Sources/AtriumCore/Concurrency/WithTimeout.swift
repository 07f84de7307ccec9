/// The operation did not finish within its time limit.
public struct TimeoutError: Error, Sendable, CustomStringConvertible {
    /// The limit that was exceeded.
    public let limit: Duration
    public var description: String { "operation timed out after \(limit)" }
}

/// Runs `operation`, cancelling it and throwing ``TimeoutError`` when it takes longer than `limit`.
/// - Parameters:
///   - limit: The longest the operation may take.
///   - operation: The work; it should respond to cancellation.
public func withTimeout<Result: Sendable>(
    _ limit: Duration,
    operation: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw TimeoutError(limit: limit)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TimeoutError(limit: limit) }
        return first
    }
}
