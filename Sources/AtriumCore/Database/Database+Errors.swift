import PostgresNIO

extension Database {
    /// The message of a request that found no database connection within `PG_POOL_ACQUIRE_TIMEOUT_MS`.
    static let noConnectionMessage = "The database is busy or unavailable; retry shortly"
    /// The message of a request whose connection stopped answering and was closed.
    static let noAnswerMessage = "The database did not answer in time; retry shortly"
    /// The message of a request whose connection was lost or refused (PostgreSQL restarting, stopped or unreachable).
    static let lostMessage = "The database connection was lost; retry shortly"
    /// The message of a statement PostgreSQL cancelled at `statement_timeout`.
    public static let statementTimeoutMessage = "The query took too long; retry it, or narrow it"

    /// Maps what PostgreSQL or the pool threw to a domain error where the cause is the same whatever the API
    /// (``DatabaseFailure``):
    /// - text the client sent that no PostgreSQL text can hold: `.validationFailed`;
    /// - a connection lost, refused or closed, a server shutting down or starting up, too many connections, the pool's
    ///   circuit breaker: `.unavailable` with ``RetryReason/connectionLost`` (safe requests are tried again once; all
    ///   answer 503 with `Retry-After`);
    /// - `statement_timeout`: `.timeout`.
    /// Other errors are returned as they are, for the caller's own table (``AtriumError/fromRecordStatement(_:object:)``).
    func classified(_ error: any Error) -> any Error {
        if let transaction = error as? PostgresTransactionError, transaction.closureError is AtriumError { return error }
        switch DatabaseFailure(error) {
        case .unstorableText:
            return AtriumError(.validationFailed, "Text cannot contain the NUL character (\\u0000)", underlying: error)
        case .statementTimeout:
            return AtriumError(.timeout, Self.statementTimeoutMessage, underlying: error)
        case .connectionLost:
            return AtriumError(.unavailable, Self.lostMessage, retryReason: .connectionLost, underlying: error)
        default:
            return error
        }
    }
}
