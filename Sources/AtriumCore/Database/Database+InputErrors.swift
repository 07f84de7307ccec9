import PostgresNIO

extension Database {
    /// A client error for a statement PostgreSQL refused because of text the client sent, whatever the API: a NUL
    /// character (`\u0000`), which no PostgreSQL text can hold, or a character the database encoding cannot store.
    /// Other errors are returned as they are.
    static func classified(_ error: any Error) -> any Error {
        let underlying = (error as? PostgresTransactionError)?.closureError ?? error
        guard let psql = underlying as? PSQLError, let state = psql.serverInfo?[.sqlState] else { return error }
        switch state {
        case "22021", "22P05":
            return AtriumError(.validationFailed, "Text cannot contain the NUL character (\\u0000)", underlying: underlying)
        default:
            return error
        }
    }
}
