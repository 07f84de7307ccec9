import PostgresNIO

extension Database {
    /// The message of a request that found no database connection within `PG_POOL_ACQUIRE_TIMEOUT_MS`.
    static let noConnectionMessage = "The database is busy or unavailable; retry shortly"
    /// The message of a request whose connection stopped answering and was closed.
    static let noAnswerMessage = "The database did not answer in time; retry shortly"
    /// The message of a request whose connection was lost or refused (PostgreSQL restarting, stopped or unreachable).
    static let lostMessage = "The database connection was lost; retry shortly"

    /// Maps what PostgreSQL or the pool threw to a domain error where the cause is known, whatever the API:
    /// - text the client sent that no PostgreSQL text can hold (a NUL character, or one the encoding cannot store):
    ///   `.validationFailed`;
    /// - a connection lost, refused or closed, a server shutting down or starting up, too many connections, the pool's
    ///   circuit breaker: `.unavailable` (safe requests are tried again once at the edge; all answer 503 with
    ///   `Retry-After`);
    /// - `statement_timeout` (57014): `.timeout`.
    /// Other errors are returned as they are.
    func classified(_ error: any Error) -> any Error {
        let underlying = (error as? PostgresTransactionError).flatMap { $0.closureError ?? $0.beginError ?? $0.commitError } ?? error
        if underlying is AtriumError { return error }
        // postgres-nio does not export its pool module; its circuit-breaker error is known by its type's name.
        if String(describing: type(of: underlying)) == "ConnectionPoolError" {
            return AtriumError(.unavailable, Self.lostMessage, underlying: underlying)
        }
        guard let psql = underlying as? PSQLError else { return error }
        guard let state = psql.serverInfo?[.sqlState] else {
            switch psql.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
                 .sslUnsupported, .failedToAddSSLHandler:
                return AtriumError(.unavailable, Self.lostMessage, underlying: underlying)
            case .queryCancelled:
                return AtriumError(.timeout, Self.statementTimeoutMessage, underlying: underlying)
            default:
                return error
            }
        }
        switch state {
        case "22021", "22P05":
            return AtriumError(.validationFailed, "Text cannot contain the NUL character (\\u0000)", underlying: underlying)
        case "57014":
            return AtriumError(.timeout, Self.statementTimeoutMessage, underlying: underlying)
        case "57P01", "57P02", "57P03", "53300", "53400", "25P03":
            // admin or crash shutdown, cannot connect now (starting up), too many connections, configuration limit,
            // idle-in-transaction timeout.
            return AtriumError(.unavailable, Self.lostMessage, underlying: underlying)
        case let state where state.hasPrefix("08"):
            return AtriumError(.unavailable, Self.lostMessage, underlying: underlying)
        default:
            return error
        }
    }

    /// The message of a statement PostgreSQL cancelled at `statement_timeout`.
    static let statementTimeoutMessage = "The query took too long; retry it, or narrow it"
}

extension AtriumError {
    /// Whether `self` is a database connection lost or refused (see ``Database``): a request that only reads may be
    /// tried again at once.
    public var isLostConnection: Bool { code == .unavailable && message == Database.lostMessage }
}
