import Logging
import Metrics
import ServiceLifecycle

/// Records how far behind the worker is, every ``interval``, as gauges for `/metrics`: per consumer group
/// `atrium_events_backlog{queue}` (entries not yet handled) and `atrium_events_lag_seconds{queue}` (the oldest's age),
/// and the same for the outbox (`queue="outbox"`: events not yet relayed).
public struct EventLagGauges: Service {
    let database: Database
    let stream: any EventStream
    let logger: Logger
    public var interval: Duration = .seconds(5)

    public init(database: Database, stream: any EventStream, logger: Logger) {
        self.database = database
        self.stream = stream
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let outbox = try await EventOutbox.backlog(in: database, logger: logger)
                record("outbox", entries: outbox.events, lag: outbox.oldestAgeSeconds)
                for group in EventConsumerGroups.all {
                    let backlog = try await stream.backlog(group: group)
                    record(group, entries: backlog.entries, lag: backlog.oldestAgeSeconds)
                }
            } catch {
                logger.debug("cannot measure the event backlog", metadata: ["error": "\(error)"])
            }
            await pauseUnlessShuttingDown(interval)
        }
    }

    private func record(_ queue: String, entries: Int, lag: Double) {
        Gauge(label: "atrium_events_backlog", dimensions: [("queue", queue)]).record(entries)
        Gauge(label: "atrium_events_lag_seconds", dimensions: [("queue", queue)]).record(lag)
    }
}
