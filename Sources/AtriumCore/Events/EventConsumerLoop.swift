import Foundation
import Logging
import Metrics
import NIOCore
import ServiceLifecycle

/// Runs one ``EventConsumer`` on the stream until graceful shutdown: its own pending entries first (a restart after a
/// crash), then new ones; every ``claimInterval`` it takes over entries other consumers left unacknowledged for
/// ``abandonedAfter``. Entries are handled as a batch (``EventConsumer/handle(batch:logger:)``), or one by one when the
/// batch fails. Handled entries are acknowledged; a failed one stays pending and comes back once abandoned. An entry
/// that is not a valid event is acknowledged and logged (it can never succeed).
///
/// On graceful shutdown the loop finishes the batch (or, one by one, the entry) it is handling and stops; entries it read but did not handle stay
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
    /// How long to pause when there was nothing to read.
    public var idleInterval: Duration = .milliseconds(50)
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
                    entries = try await stream.read(group: group, consumer: consumerName, pending: pendingFirst, count: batchSize)
                    if pendingFirst, entries.isEmpty { pendingFirst = false }
                    if !pendingFirst, entries.isEmpty { await pauseUnlessShuttingDown(idleInterval) }
                }
                let done = try await handle(entries)
                if !done.isEmpty { try await stream.acknowledge(group: group, entries: done) }
                backoff = Backoff()
            } catch {
                logger.warning("event stream unavailable; retrying", metadata: ["group": "\(group)", "error": "\(error)"])
                await backoff.pause()
            }
        }
    }

    /// Handles `entries` (as one batch when the consumer can; one by one when the batch fails); the entries to
    /// acknowledge. On graceful shutdown it stops after the event in hand.
    private func handle(_ entries: [StreamedEvent]) async throws -> [String] {
        var events: [(entry: String, event: RecordEvent)] = []
        var done: [String] = []
        for entry in entries {
            do {
                events.append((entry.entry, try RecordEvent(json: entry.json.readableBytesView)))
            } catch {
                logger.error("dropping a stream entry that is not an event", metadata: ["entry": "\(entry.entry)", "error": "\(error)"])
                done.append(entry.entry)
            }
        }
        if events.count > 1, !Task.isShuttingDownGracefully {
            do {
                try await consumer.handle(batch: events.map(\.event), logger: logger)
                handled.increment(by: events.count)
                return done + events.map(\.entry)
            } catch {
                logger.debug("a batch failed; handling its events one by one", metadata: ["consumer": "\(consumer.name)", "error": "\(error)"])
            }
        }
        for (entry, event) in events {
            if Task.isShuttingDownGracefully { break }
            do {
                try await consumer.handle(event, logger: logger)
                handled.increment()
                done.append(entry)
            } catch {
                failed.increment()
                logger.warning("event not handled; it will be delivered again", metadata: [
                    "consumer": "\(consumer.name)", "event": "\(event.id)", "name": "\(event.name)", "error": "\(error)",
                ])
            }
        }
        return done
    }
}
