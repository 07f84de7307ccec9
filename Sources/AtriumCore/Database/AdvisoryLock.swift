import Logging
import PostgresNIO

/// A PostgreSQL session advisory lock held on a dedicated connection for the duration of a closure.
/// It excludes other processes and machines using the same key on the same database.
public enum AdvisoryLock {
    /// Runs `body` holding lock `key`; returns nil without running it when the lock is taken and `wait` is false.
    /// The lock is always released before the connection returns to the pool.
    public static func withLock<Result: Sendable>(
        _ key: Int64, database: Database, wait: Bool, logger: Logger, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result? {
        try await database.withConnection { connection in
            if wait {
                try await connection.query("SELECT pg_advisory_lock(\(key))", logger: logger)
            } else {
                var acquired = false
                for try await value in try await connection.query("SELECT pg_try_advisory_lock(\(key))", logger: logger).decode(Bool.self) {
                    acquired = value
                }
                guard acquired else { return nil }
            }
            do {
                let result = try await body()
                try await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger)
                return result
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger)
                throw error
            }
        }
    }
}
