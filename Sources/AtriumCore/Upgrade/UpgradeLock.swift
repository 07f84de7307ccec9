import Logging
import PostgresNIO

/// The advisory lock that keeps two upgrades from running at once, across processes and machines.
public enum UpgradeLock {
    /// The advisory lock key (`atrium upgrade` in ASCII, folded to 63 bits).
    static let key: Int64 = 0x6174_7269_756D_7570

    /// Another upgrade holds the lock.
    public struct Busy: Error, Sendable, CustomStringConvertible {
        public var description: String {
            "another upgrade is running on this database; nothing was changed. Wait for it to finish, or pass --wait."
        }
    }

    /// Runs `body` holding the lock on a dedicated connection; refuses with ``Busy`` (or waits, when `wait`).
    static func withLock<Result: Sendable>(
        database: Database, wait: Bool, logger: Logger, _ body: () async throws -> Result
    ) async throws -> Result {
        try await database.withConnection { connection in
            if wait {
                try await connection.query("SELECT pg_advisory_lock(\(key))", logger: logger)
            } else {
                var acquired = false
                for try await value in try await connection.query("SELECT pg_try_advisory_lock(\(key))", logger: logger).decode(Bool.self) {
                    acquired = value
                }
                guard acquired else { throw Busy() }
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
