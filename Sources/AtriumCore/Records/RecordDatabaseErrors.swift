import PostgresNIO

extension AtriumError {
    /// The message of a record statement that met a table, column or type a concurrent metadata change had renamed or
    /// removed: it was built from the snapshot the request started with.
    public static let dataModelChanged = "The data model changed while the request ran; retry it"

    /// Whether `error` is a record statement built from a snapshot older than the data model it ran against.
    public var isDataModelChange: Bool { code == .retryable && message == Self.dataModelChanged }

    /// Undefined column, table or type (an enum type rebuilt for new options).
    static func isDataModelChange(_ sqlState: String) -> Bool {
        ["42703", "42P01", "42704"].contains(sqlState)
    }

    /// Maps a PostgreSQL error raised by a record statement to a client error where the input is at fault
    /// (constraint violations, values PostgreSQL refuses), keeping the server's details for the logs only.
    static func fromRecordStatement(_ error: any Error, object: WorkspaceSchema.Object) -> any Error {
        guard let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] else { return error }
        let column = psql.serverInfo?[.columnName]
        switch state {
        case "23505":
            // Twenty's words, which its clients and tests match on, then the constraint as Twenty names it.
            let detail = psql.serverInfo?[.constraintName].map { ": unique constraint \(object.nameSingular).\($0) was violated" } ?? ""
            return AtriumError(.validationFailed, "A duplicate entry was detected\(detail)", underlying: error)
        case "23503":
            return AtriumError(.invalidReference, "A related record does not exist, or other records still point at this \(object.nameSingular)", underlying: error)
        case "23502":
            return AtriumError(.validationFailed, "Field '\(column ?? "?")' of \(object.nameSingular) cannot be null", underlying: error)
        case let state where state == "23514" || state.hasPrefix("22"):
            // A check constraint, or class 22 (data exception): a value (always bound from the input) PostgreSQL refuses.
            return AtriumError(.validationFailed, "Invalid value for \(object.nameSingular)", underlying: error)
        case "42501":
            // core."atrium_refuse_row_outside_role"(): a written row outside the role's row-level permissions.
            return AtriumError(.forbidden, AtriumError.permissionDenied().message, underlying: error)
        case "40001", "40P01":
            return AtriumError(.retryable, "The request conflicted with another one; retry it", underlying: error)
        case _ where isDataModelChange(state):
            return AtriumError(.retryable, dataModelChanged, underlying: error)
        case "AT001":
            // core."atrium_refuse_cursor"(id): the page's cursor names a destroyed record; the message is our own.
            return AtriumError(.badRequest, psql.serverInfo?[.message] ?? "Invalid cursor", underlying: error)
        case "57014":
            return AtriumError(.timeout, "The query took too long", underlying: error)
        default:
            return error
        }
    }
}
