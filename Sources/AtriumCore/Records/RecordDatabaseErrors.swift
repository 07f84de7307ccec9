import PostgresNIO

extension AtriumError {
    /// The message of a record statement that met a table, column or type a concurrent metadata change had renamed or
    /// removed: it was built from the snapshot the request started with.
    public static let dataModelChanged = "The data model changed while the request ran; retry it"

    /// Maps a PostgreSQL error raised by a record statement (``DatabaseFailure``) to a client error where the input is
    /// at fault (constraint violations, values PostgreSQL refuses) or a new attempt can succeed, keeping the server's
    /// details for the logs only.
    static func fromRecordStatement(_ error: any Error, object: WorkspaceSchema.Object) -> any Error {
        guard let failure = DatabaseFailure(error) else { return error }
        switch failure {
        case .uniqueViolation(let constraint):
            // Twenty's words, which its clients and tests match on, then the constraint as Twenty names it.
            let detail = constraint.map { ": unique constraint \(object.nameSingular).\($0) was violated" } ?? ""
            return AtriumError(.validationFailed, "A duplicate entry was detected\(detail)", underlying: error)
        case .foreignKeyViolation:
            return AtriumError(.invalidReference, "A related record does not exist, or other records still point at this \(object.nameSingular)", underlying: error)
        case .notNullViolation(let column):
            return AtriumError(.validationFailed, "Field '\(column ?? "?")' of \(object.nameSingular) cannot be null", underlying: error)
        case .invalidValue:
            // A value (always bound from the input) PostgreSQL refuses.
            return AtriumError(.validationFailed, "Invalid value for \(object.nameSingular)", underlying: error)
        case .rowOutsideRole:
            return AtriumError(.forbidden, AtriumError.permissionDenied().message, underlying: error)
        case .concurrencyConflict:
            return AtriumError(.retryable, "The request conflicted with another one; retry it", retryReason: .concurrencyConflict, underlying: error)
        case .missingDatabaseObject:
            return AtriumError(.retryable, dataModelChanged, retryReason: .dataModelChanged, underlying: error)
        case .refusedCursor(let message):
            return AtriumError(.badRequest, message, underlying: error)
        case .statementTimeout:
            return AtriumError(.timeout, Database.statementTimeoutMessage, underlying: error)
        case .unstorableText, .connectionLost, .duplicateName, .lockNotAvailable:
            // The first two were classified by the database layer already; DDL failures are no record statement's.
            return error
        }
    }
}
