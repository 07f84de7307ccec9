/// The one retry policy of Atrium's requests (REST, GraphQL) and background work: which failures a new attempt can
/// cure, and how it is made. It acts on ``AtriumError/retryReason`` alone:
///
/// - ``RetryReason/dataModelChanged``: the statement met a data model a concurrent metadata change altered after the
///   snapshot was taken; `refreshSnapshot` runs first, so the next attempt builds from the current one;
/// - ``RetryReason/concurrencyConflict``: a deadlock or serialization failure lost to another transaction; the next
///   attempt waits a few milliseconds;
/// - ``RetryReason/connectionLost``, for work that only reads: tried once more after ``lostConnectionPause``. A write
///   whose connection was lost may have committed, so it is not made again (it answers 503).
///
/// Only for work whose failed attempt wrote nothing: one statement, or one transaction (a merge, a batch upsert), which
/// the failure rolled back.
///
/// ```swift
/// let page = try await RetryPolicy.run(onlyReads: true, refreshSnapshot: { schema = try await newer() }) {
///     try await records.findMany(tree, in: scope)
/// }
/// ```
public enum RetryPolicy {
    /// Attempts in all for data-model changes and conflicts.
    public static let attempts = 3
    /// The wait before work that only reads is tried again after its connection was lost.
    public static let lostConnectionPause = Duration.milliseconds(100)

    /// Whether a new attempt can cure `error`, for work that only reads (`onlyReads`) or writes.
    public static func allowsRetry(of error: AtriumError, onlyReads: Bool) -> Bool {
        switch error.retryReason {
        case .dataModelChanged, .concurrencyConflict: true
        case .connectionLost: onlyReads
        case nil: false
        }
    }

    /// Runs `body`, again while it fails in a way a new attempt can cure (see the type's description); the last
    /// failure is thrown.
    public static func run<Result>(
        onlyReads: Bool,
        refreshSnapshot: () async throws -> Void,
        _ body: () async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        var retriedLostConnection = false
        while true {
            do {
                return try await body()
            } catch let error as AtriumError where allowsRetry(of: error, onlyReads: onlyReads) {
                switch error.retryReason {
                case .connectionLost:
                    guard !retriedLostConnection else { throw error }
                    retriedLostConnection = true
                    try await Task.sleep(for: lostConnectionPause)
                case .dataModelChanged:
                    guard attempt < attempts else { throw error }
                    attempt += 1
                    try await refreshSnapshot()
                case .concurrencyConflict, nil:
                    guard attempt < attempts else { throw error }
                    try await Task.sleep(for: .milliseconds(Int.random(in: 2...10) * attempt))
                    attempt += 1
                }
            }
        }
    }
}
