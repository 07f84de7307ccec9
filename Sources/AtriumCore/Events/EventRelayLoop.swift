import Logging
import Metrics
import ServiceLifecycle

/// Moves events from the outbox to the stream until graceful shutdown (``EventOutbox/relay(to:limit:logger:)``):
/// again at once while batches come full, else every ``idleInterval``. With Redis or PostgreSQL down it retries with
/// backoff; writes go on committing their events to the outbox meanwhile, and nothing is lost.
public struct EventRelayLoop: Service {
    let outbox: EventOutbox
    let stream: any EventStream
    let logger: Logger
    let relayed = Counter(label: "atrium_events_relayed_total")

    public var batchSize = 500
    public var idleInterval: Duration = .milliseconds(50)

    public init(outbox: EventOutbox, stream: any EventStream, logger: Logger) {
        self.outbox = outbox
        self.stream = stream
        self.logger = logger
    }

    public func run() async throws {
        var backoff = Backoff()
        var failing = false
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let moved = try await outbox.relay(to: stream, limit: batchSize, logger: logger)
                if failing { logger.info("relaying events again") }
                failing = false
                backoff = Backoff()
                if moved > 0 { relayed.increment(by: moved) }
                if moved < batchSize { await pauseUnlessShuttingDown(idleInterval) }
            } catch {
                if !failing { logger.warning("cannot relay events; retrying", metadata: ["error": "\(error)"]) }
                failing = true
                await backoff.pause()
            }
        }
    }
}
