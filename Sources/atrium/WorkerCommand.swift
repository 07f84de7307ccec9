import ArgumentParser
import AtriumCore
import AtriumHTTP
import AtriumRedis
import AtriumRedisAdapters
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import UnixSignals

/// `atrium worker`: relays record events from the outbox to the Redis stream and runs their consumers (the timeline, the
/// audit log, webhook fan-out, the cleanup of deleted records' sidebar items), sends webhook deliveries with retries,
/// drops audit log events past their retention, and writes queued CSV imports. `--only events` or `--only imports`
/// runs one side (workers of each kind scale apart).
///
/// Any number of workers run side by side: one relays at a time (an advisory lock), and each consumer group shares
/// its entries among them. On SIGTERM or SIGINT a worker finishes the batch of events it is handling, leaves what it
/// read but did not handle to the others (they claim it once abandoned), and exits 0 within `SHUTDOWN_TIMEOUT_SECONDS`.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "Relay record events, run their consumers and queued CSV imports.")

    /// What a worker runs.
    enum Role: String, ExpressibleByArgument, CaseIterable {
        case events, imports
    }

    @Option(help: "Run only this side: events (relay, consumers, webhook deliveries, retention) or imports (queued CSV imports).")
    var only: Role?

    func run() async throws {
        let environment = try CommandEnvironment.load(label: "atrium.worker", logsToStandardOutput: true)
        let logger = environment.logger
        let configuration = environment.configuration
        let telemetry = Telemetry()
        MetricsSystem.bootstrap(telemetry.metricsFactory)
        let database = Database(settings: configuration.postgres, logger: logger, metricsFactory: telemetry.metricsFactory)
        let redis = RedisClient(configuration: Self.redisConfiguration(configuration), logger: logger)
        let stream = RedisEventStream(redis: redis)
        let id = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().lowercased.prefix(8))"
        let metadata = WorkspaceSchemaCache(database: database, store: nil, logger: logger)
        let policy = OutboundTargetPolicy(allowsPrivateTargets: configuration.webhookAllowsPrivateTargets)
        let consumers: [any EventConsumer] = [
            TimelineConsumer(database: database, metadata: metadata), EventLogConsumer(database: database),
            WebhookFanOut(store: WebhookStore(database: database, policy: policy)), NavigationCleanupConsumer(database: database),
        ]
        let sender = WebhookHTTPSender()
        var deliveries = WebhookDeliveryLoop(database: database, sender: sender, policy: policy, logger: logger)
        deliveries.retry.maximumAttempts = configuration.webhookMaximumAttempts
        deliveries.retry.base = configuration.webhookRetryBase
        // A delivery a dead worker claimed is taken over as an event it held would be (but never while a POST may
        // still be in flight).
        deliveries.lease = max(configuration.workerAbandonedAfter, deliveries.timeout + .seconds(1))
        deliveries.laneTime = deliveries.lease / 2
        let shutdownTimeout = configuration.shutdownTimeout
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: database), .init(service: redis)]
        if only != .imports {
            services.append(.init(service: WorkerHeartbeat(redis: redis, id: id, logger: logger)))
            services.append(.init(service: EventRelayLoop(outbox: EventOutbox(database: database, metadata: metadata), stream: stream, logger: logger)))
            services.append(.init(service: deliveries))
            services.append(.init(service: EventLagGauges(database: database, stream: stream, logger: logger)))
            services.append(.init(service: EventLogRetention(database: database, days: configuration.eventLogRetentionDays, logger: logger)))
            services += consumers.map { consumer in
                var loop = EventConsumerLoop(consumer, stream: stream, consumerName: id, logger: logger)
                loop.abandonedAfter = configuration.workerAbandonedAfter
                loop.claimInterval = min(loop.claimInterval, configuration.workerAbandonedAfter / 2)
                return .init(service: loop)
            }
        }
        if only != .events {
            services.append(.init(service: CSVImportJobs(database: database, metadata: metadata, recordsEvents: configuration.eventsEnabled, logger: logger)))
        }
        if configuration.workerMetricsPort > 0 {
            services.append(.init(service: WorkerMetricsServer.make(telemetry: telemetry, host: configuration.host,
                                                                     port: configuration.workerMetricsPort, logger: logger)))
        }
        services.append(.init(service: ShutdownDeadline(limit: shutdownTimeout, logger: logger), successTerminationBehavior: .ignore))
        var groupConfiguration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = shutdownTimeout * 0.8
        groupConfiguration.maximumCancellationDuration = nil
        logger.info("worker started", metadata: ["id": "\(id)", "consumers": "\(consumers.map(\.name).joined(separator: ","))"])
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch {
            logger.critical("worker stopped on an error", metadata: ["error": .string(String(describing: error))])
            throw ExitCode.failure
        }
        try? await sender.shutdown()
        logger.info("worker stopped")
    }

    /// The Redis settings, or exit with the configuration error.
    private static func redisConfiguration(_ configuration: AtriumConfiguration) -> RedisConfiguration {
        do {
            return try RedisConfiguration(atrium: configuration)
        } catch {
            CommandEnvironment.exitWithConfigurationError(error)
        }
    }
}
