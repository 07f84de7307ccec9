import AtriumCore

/// Runs a request again, up to ``attempts`` times in all, when it fails in a way a new attempt can succeed:
///
/// - its statement met a data model that a concurrent metadata change altered after the request took its snapshot (a
///   column renamed or dropped): `refreshSnapshot` runs first, so the next attempt takes PostgreSQL's current one;
/// - it lost a deadlock or a serialization conflict to another request: the next attempt waits a few milliseconds;
/// - its database connection was lost (PostgreSQL restarting, a stale pooled connection), and the request is `safe`
///   (it only reads): it is tried once more, after ``lostConnectionPause``. A write whose connection was lost may have
///   committed, so it is answered 503 instead.
///
/// Only for requests whose failed attempt wrote nothing: one statement, or one transaction (a merge, a batch upsert),
/// which the failure rolled back.
enum RetriedRequest {
    static let attempts = 3
    /// The wait before a read whose connection was lost is tried again.
    static let lostConnectionPause = Duration.milliseconds(100)

    static func run<Result>(
        safe: Bool = false,
        refreshSnapshot: () async throws -> Void, _ body: () async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        var retriedLostConnection = false
        while true {
            do {
                return try await body()
            } catch let error as AtriumError where safe && error.isLostConnection && !retriedLostConnection {
                retriedLostConnection = true
                try await Task.sleep(for: lostConnectionPause)
            } catch let error as AtriumError where error.code == .retryable && attempt < attempts {
                if error.isDataModelChange {
                    try await refreshSnapshot()
                } else {
                    try await Task.sleep(for: .milliseconds(Int.random(in: 2...10) * attempt))
                }
                attempt += 1
            }
        }
    }
}
