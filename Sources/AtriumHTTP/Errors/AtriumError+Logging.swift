import AtriumCore
import Logging

extension AtriumError {
    /// Logs an error a request ended with, when there is something for an operator to see: an internal error at
    /// `error`; a client error that PostgreSQL raised (a constraint, a refused row-level write) at `info`, with the
    /// database's words, since the response carries only Twenty's message. Other client errors are not logged here.
    func log(_ message: Logger.Message, to logger: Logger) {
        guard code == .internalError || underlying != nil else { return }
        logger.log(level: code == .internalError ? .error : .info, message, metadata: [
            "error": .string(description),
            "underlying": .string(underlying.map { String(reflecting: $0) } ?? "none"),
        ])
    }
}
