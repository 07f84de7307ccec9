import Foundation
import Logging
import Metrics
import NIOCore
import ServiceLifecycle

/// Runs one ``EventConsumer`` on the stream until graceful shutdown: its own pending entries first (a restart after a
/// crash), then new ones; every ``claimInterval`` it takes over entries other consumers left unacknowledged for
/// ``abandonedAfter``. Handled entries are acknowledged; a failed one stays pending and comes back once abandoned. An
/// entry that is not a valid event is acknowledged and logged (it can never succeed).
///
/// On graceful shutdown the loop finishes the entry it is handling and stops; entries it read but did not handle stay
/// pending and go to another worker.
public struct EventConsumerLoop: Service {
    let consumer: any EventConsumer
    let stream: any EventStream
    /// This worker's consumer name in the group (unique per process).
    let consumerName: String
    let logger: Logger
    let handled: Counter
    let failed: Counter

    public var batchSize = 100
    public var wait: Duration = .seconds(1)
    public var claimInterval: Duration = .seconds(5)
    public var abandonedAfter: Duration = .seconds(30)

    public init(_ consumer: any EventConsumer, stream: any EventStream, consumerName: String, logger: Logger) {
        self.consumer = consumer
        self.stream = stream
        self.consumerName = consumerName
        self.logger = logger
        handled = Counter(label: "atrium_events_handled_total", dimensions: [("consumer", consumer.name)])
        failed = Counter(label: "atrium_events_failed_total", dimensions: [("consumer", consumer.name)])
    }

    public func run() async throws {
        let group = consumer.name
        var backoff = Backoff()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await stream.createGroup(group)
                break
            } catch {
                logger.warning("cannot create the consumer group; retrying", metadata: ["group": "\(group)", "error": "\(error)"])
                await backoff.pause()
            }
        }
        var pendingFirst = true
        var lastClaim = ContinuousClock.now
        backoff = Backoff()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                var entries: [StreamedEvent]
                if ContinuousClock.now - lastClaim >= claimInterval {
                    lastClaim = .now
                    entries = try await stream.claimAbandoned(group: group, consumer: consumerName, idle: abandonedAfter, count: batchSize)
                } else {
                    entries = try await stream.read(group: group, consumer: consumerName, pending: pendingFirst, count: batchSize, wait: wait)
                    if pendingFirst, entries.isEmpty { pendingFirst = false }
                }
                var done: [String] = []
                for entry in entries {
                    if Task.isShuttingDownGracefully { break }
                    if try await handle(entry) { done.append(entry.entry) }
                }
                if !done.isEmpty { try await stream.acknowledge(group: group, entries: done) }
                backoff = Backoff()
            } catch {
                logger.warning("event stream unavailable; retrying", metadata: ["group": "\(group)", "error": "\(error)"])
                await backoff.pause()
            }
        }
    }

    /// Handles one entry; whether to acknowledge it.
    private func handle(_ entry: StreamedEvent) async throws -> Bool {
        let event: RecordEvent
        do {
            event = try RecordEvent(json: entry.json.readableBytesView)
        } catch {
            logger.error("dropping a stream entry that is not an event", metadata: ["entry": "\(entry.entry)", "error": "\(error)"])
            return true
        }
        do {
            try await consumer.handle(event, logger: logger)
            handled.increment()
            return true
        } catch {
            failed.increment()
            logger.warning("event not handled; it will be delivered again", metadata: [
                "consumer": "\(consumer.name)", "event": "\(event.id)", "name": "\(event.name)", "error": "\(error)",
            ])
            return false
        }
    }
}

