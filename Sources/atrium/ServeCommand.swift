import ArgumentParser
import AtriumCore
import AtriumHTTP
import Foundation
import Hummingbird
import Logging
import Metrics
import ServiceLifecycle
import UnixSignals

/// `atrium serve`: the HTTP server.
///
/// On SIGTERM or SIGINT it stops accepting connections, lets in-flight requests finish for up to
/// `SHUTDOWN_TIMEOUT_SECONDS`, closes the PostgreSQL and Redis pools and exits 0.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the REST, GraphQL and metadata APIs.")

    func run() async throws {
        let environment = try CommandEnvironment.load(label: "atrium.serve", logsToStandardOutput: true)
        let logger = environment.logger
        do {
            _ = try UpgradeRegistry.shipped()  // a duplicate command name or timestamp must stop the process at start
        } catch {
            CommandEnvironment.fail("cannot load upgrade commands: \(error)")
        }
        let telemetry = Telemetry()
        MetricsSystem.bootstrap(telemetry.metricsFactory)

        var configuration = environment.configuration
        // A server keeps its pool open: connections above the minimum cost an idle timer on every query.
        if configuration.postgres.minimumConnections == nil { configuration.postgres.minimumConnections = configuration.postgres.maximumConnections }
        let app: any ApplicationProtocol
        do {
            app = try AtriumApplication.build(configuration: configuration, logger: logger, telemetry: telemetry)
        } catch let error as ConfigurationError {
            CommandEnvironment.exitWithConfigurationError(error)
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: app)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = environment.configuration.shutdownTimeout
        groupConfiguration.maximumCancellationDuration = Duration.seconds(5)
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch {
            logger.critical("server stopped on an error", metadata: ["error": .string(String(describing: error))])
            throw ExitCode.failure
        }
        logger.info("server stopped")
    }
}
