import AtriumCore

/// Runs a request again, up to ``attempts`` times in all, when it fails in a way a new attempt can succeed:
///
/// - its statement met a data model that a concurrent metadata change altered after the request took its snapshot (a
///   column renamed or dropped): `refreshSnapshot` runs first, so the next attempt takes PostgreSQL's current one;
/// - it lost a deadlock or a serialization conflict to another request: the next attempt waits a few milliseconds.
///
/// Only for requests whose failed attempt wrote nothing: one statement, or one transaction (a merge, a batch upsert),
/// which the failure rolled back.
enum RetriedRequest {
    static let attempts = 3

    static func run<Result>(
        refreshSnapshot: () async throws -> Void, _ body: () async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await body()
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
