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
        database: Database, wait: Bool, logger: Logger, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        guard let result = try await AdvisoryLock.withLock(key, database: database, wait: wait, logger: logger, body) else { throw Busy() }
        return result
    }
}
