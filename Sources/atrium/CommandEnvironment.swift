import ArgumentParser
import AtriumCore
import Foundation
import Logging

/// What every subcommand starts from: validated configuration and a bootstrapped logger.
///
/// A missing or malformed setting prints one line naming the variable and its expected form to stderr,
/// then exits with status 1: no stack trace, no failure later.
struct CommandEnvironment {
    let configuration: AtriumConfiguration
    let logger: Logger

    /// Loads the configuration and bootstraps logging.
    /// - Parameters:
    ///   - label: The logger's label (the subcommand).
    ///   - logsToStandardOutput: Whether log lines go to stdout (the server) rather than stderr (every other command,
    ///     whose stdout is its result, often JSON read by scripts).
    static func load(label: String, logsToStandardOutput: Bool = false) throws -> CommandEnvironment {
        let configuration: AtriumConfiguration
        do {
            configuration = try AtriumConfiguration(ConfigurationValues.load())
        } catch let error as ConfigurationError {
            exitWithConfigurationError(error)
        }
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = LazyMetadataLogHandler(logsToStandardOutput ? .standardOutput(label: label) : .standardError(label: label))
            handler.logLevel = level
            return handler
        }
        return CommandEnvironment(configuration: configuration, logger: Logger(label: label))
    }

    /// Prints the configuration error as one line and exits non-zero.
    static func exitWithConfigurationError(_ error: ConfigurationError) -> Never {
        FileHandle.standardError.write(Data("atrium: invalid configuration: \(error)\n".utf8))
        exit(1)
    }
}
