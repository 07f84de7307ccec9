import AtriumCore
import Foundation
import Logging
import ServiceLifecycle

/// Ends the process when its graceful shutdown outlives `SHUTDOWN_TIMEOUT_SECONDS`.
///
/// A SIGTERM starts the service group's graceful shutdown: the server stops accepting connections and in-flight
/// requests finish. An operation stuck beyond every bound (a dependency that never answers, a bug) must not keep the
/// process alive, nor end it in swift-service-lifecycle's "Cancellation took longer than allowed" trap: once the
/// deadline passes, a plain thread (it needs no Swift concurrency executor, which may be the stuck part) logs one line
/// and exits with status 0, the status of a stop that was asked for.
///
/// Place it last in the group's services: graceful shutdown reaches services in reverse order, so it starts the clock
/// first.
struct ShutdownDeadline: Service {
    let limit: Duration
    let logger: Logger

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return  // cancelled: the group is ending without a graceful shutdown
        }
        let (limit, logger) = (self.limit, self.logger)
        let thread = Thread {
            Thread.sleep(forTimeInterval: limit.seconds)
            logger.critical("shutdown took longer than SHUTDOWN_TIMEOUT_SECONDS; exiting with work still running",
                            metadata: ["limit": "\(limit)"])
            exit(0)
        }
        thread.start()
    }
}
