import Foundation

/// What the database layer knows of the request it serves, carried as task-local values so that no query site has
/// to pass it along.
///
/// The HTTP layer binds ``workspace`` once a request's workspace is known; every database operation of that request
/// then counts against the workspace's share of the pool (a ``KeyedSemaphore``), so one tenant's burst
/// cannot hold every connection.
public enum DatabaseScope {
    /// The workspace the current operation works for; nil for instance-level work (sign-in, upgrades, the CLI).
    @TaskLocal public static var workspace: UUID?
}
