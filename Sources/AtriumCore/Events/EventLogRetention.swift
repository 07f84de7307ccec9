import Logging
import PostgresNIO
import ServiceLifecycle

/// Drops audit log events older than `EVENT_LOG_RETENTION_DAYS` (and consumption records of the same age) every
/// ``interval``, in one worker at a time (a transaction-scoped advisory lock; the others skip that round).
public struct EventLogRetention: Service {
    let database: Database
    let days: Int
    let logger: Logger
    public var interval: Duration = .seconds(3600)

    static let lock: Int64 = 0x4154_4C4F_4752_4554  // "ATLOGRET"

    public init(database: Database, days: Int, logger: Logger) {
        self.database = database
        self.days = days
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await database.withTransaction(logger: logger) { connection in
                    let lock = try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.lock))", logger: logger)
                    for try await locked in lock.decode(Bool.self) where !locked { return }
                    let deleted = try await EventLog(database: database).prune(olderThanDays: days, logger: logger)
                    if deleted > 0 { logger.info("dropped old audit log events", metadata: ["events": "\(deleted)", "days": "\(days)"]) }
                }
            } catch {
                logger.warning("cannot drop old audit log events; will try again", metadata: ["error": "\(error)"])
            }
            await pauseUnlessShuttingDown(interval)
        }
    }
}
