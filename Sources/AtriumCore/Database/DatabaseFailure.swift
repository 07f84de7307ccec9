import PostgresNIO

/// What a PostgreSQL error means: the one table from SQLSTATE (and postgres-nio's connection errors) to a kind of
/// failure. Callers turn a failure into their own client message (``AtriumError``); none reads SQLSTATE itself.
///
/// ```swift
/// if case .uniqueViolation = DatabaseFailure(error) { throw AtriumError(.conflict, "The subdomain is taken") }
/// ```
public enum DatabaseFailure: Sendable, Equatable {
    /// 23505: a unique index refused the row; `constraint` names it.
    case uniqueViolation(constraint: String?)
    /// 23503: a foreign key points nowhere, or rows still point at a deleted one.
    case foreignKeyViolation
    /// 23502: a NOT NULL column got no value; `column` names it.
    case notNullViolation(column: String?)
    /// 22021, 22P05: text PostgreSQL cannot store (a NUL character, or one the encoding cannot hold).
    case unstorableText
    /// 23514 (a check constraint), class 22 (a data exception) or 42804 / 42846 (a type mismatch): a value refused.
    case invalidValue
    /// 42501: a row written outside the role's row-level permissions (`core."atrium_refuse_row_outside_role"`).
    case rowOutsideRole
    /// 40001, 40P01: a serialization failure or a deadlock lost to another transaction.
    case concurrencyConflict
    /// 42703, 42P01, 42704, 3F000: a column, table, type or schema that is not there (renamed or dropped since the
    /// statement was built).
    case missingDatabaseObject
    /// 42P07, 42701, 42710: DDL naming a table, column or object that already exists.
    case duplicateName
    /// 55P03: a lock not available at once (`lock_timeout`).
    case lockNotAvailable
    /// AT001: Atrium's `core."atrium_refuse_cursor"`: a page cursor naming a destroyed record; `message` is ours.
    case refusedCursor(message: String)
    /// 57014, or the client's cancellation: a statement past its `statement_timeout`.
    case statementTimeout
    /// A connection lost, refused or closed, a server shutting down or starting up (57P01–57P03), too many connections
    /// (53300, 53400), an idle transaction ended (25P03), connection class 08, or the pool's circuit breaker.
    case connectionLost

    /// The failure `error` is, or nil when it is no PostgreSQL error this table knows. A `PostgresTransactionError` is
    /// read through to the error of its closure, begin or commit.
    public init?(_ error: any Error) {
        let error = Self.unwrapped(error)
        // postgres-nio does not export its pool module; its circuit-breaker error is known by its type's name.
        if String(describing: type(of: error)) == "ConnectionPoolError" {
            self = .connectionLost
            return
        }
        if let libpq = error as? LibpqStatementError {
            guard let state = libpq.sqlState else {
                self = .connectionLost
                return
            }
            self.init(sqlState: state, constraint: libpq.constraint, column: libpq.column, message: libpq.message)
            return
        }
        guard let psql = error as? PSQLError else { return nil }
        guard let state = psql.serverInfo?[.sqlState] else {
            switch psql.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
                 .sslUnsupported, .failedToAddSSLHandler:
                self = .connectionLost
            case .queryCancelled:
                self = .statementTimeout
            default:
                return nil
            }
            return
        }
        self.init(sqlState: state, constraint: psql.serverInfo?[.constraintName], column: psql.serverInfo?[.columnName],
                  message: psql.serverInfo?[.message])
    }

    /// The failure a server error's SQLSTATE (and its constraint, column and message fields) is, or nil.
    init?(sqlState state: String, constraint: String?, column: String?, message: String?) {
        switch state {
        case "23505": self = .uniqueViolation(constraint: constraint)
        case "23503": self = .foreignKeyViolation
        case "23502": self = .notNullViolation(column: column)
        case "22021", "22P05": self = .unstorableText
        case "23514", "42804", "42846": self = .invalidValue
        case let state where state.hasPrefix("22"): self = .invalidValue
        case "42501": self = .rowOutsideRole
        case "40001", "40P01": self = .concurrencyConflict
        case "42703", "42P01", "42704", "3F000": self = .missingDatabaseObject
        case "42P07", "42701", "42710": self = .duplicateName
        case "55P03": self = .lockNotAvailable
        case "AT001": self = .refusedCursor(message: message ?? "Invalid cursor")
        case "57014": self = .statementTimeout
        case "57P01", "57P02", "57P03", "53300", "53400", "25P03": self = .connectionLost
        case let state where state.hasPrefix("08"): self = .connectionLost
        default: return nil
        }
    }

    /// The SQLSTATE of `error`, for logs only (decisions go through the cases above).
    public static func sqlState(of error: any Error) -> String? {
        let error = unwrapped(error)
        return (error as? LibpqStatementError)?.sqlState ?? (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    private static func unwrapped(_ error: any Error) -> any Error {
        guard let transaction = error as? PostgresTransactionError else { return error }
        return transaction.closureError ?? transaction.beginError ?? transaction.commitError ?? error
    }
}
