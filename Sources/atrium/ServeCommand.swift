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
/// On SIGTERM or SIGINT it stops accepting connections, lets in-flight requests finish, closes the PostgreSQL and
/// Redis pools and exits 0, all within `SHUTDOWN_TIMEOUT_SECONDS` (``ShutdownDeadline``), even with work stuck.
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

        let configuration = environment.configuration
        let app: any ApplicationProtocol
        do {
            app = try AtriumApplication.build(configuration: configuration, logger: logger, telemetry: telemetry)
        } catch let error as ConfigurationError {
            CommandEnvironment.exitWithConfigurationError(error)
        }
        // In-flight requests get most of SHUTDOWN_TIMEOUT_SECONDS; then the group is cancelled, and at the limit itself
        // ShutdownDeadline ends the process, whatever is still running.
        let shutdownTimeout = configuration.shutdownTimeout
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                .init(service: app),
                .init(service: ShutdownDeadline(limit: shutdownTimeout, logger: logger), successTerminationBehavior: .ignore),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = shutdownTimeout * 0.8
        groupConfiguration.maximumCancellationDuration = nil
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch {
            logger.critical("server stopped on an error", metadata: ["error": .string(String(describing: error))])
            throw ExitCode.failure
        }
        logger.info("server stopped")
    }
}
