import ArgumentParser
import AtriumCore
import Foundation
import Logging
import Metrics

extension CommandEnvironment {
    /// Runs `body` with a running PostgreSQL pool, after checking PostgreSQL answers at all.
    ///
    /// An unreachable server is one clear line and exit status 1, not a hang. Every wait is bounded as the server's
    /// are, except that a command's statements (upgrade backfills, workspace DDL) run under the DDL bound
    /// (`PG_DDL_STATEMENT_TIMEOUT_MS`) and a connection is waited for up to 10 s.
    func withDatabase<Result: Sendable>(_ body: @Sendable (Database) async throws -> Result) async throws -> Result {
        var settings = configuration.postgres
        settings.statementTimeout = settings.ddlStatementTimeout
        settings.acquireTimeout = max(settings.acquireTimeout, .seconds(10))
        let database = Database(settings: settings, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            guard await database.isReachable(timeout: .seconds(10), logger: logger) else {
                let settings = configuration.postgres
                Self.fail("cannot reach PostgreSQL at \(settings.host):\(settings.port) (database \(settings.database)); check PG_DATABASE_URL")
            }
            return try await body(database)
        }
    }

    /// Prints `message` to stderr as one line and exits with status 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("atrium: \(message)\n".utf8))
        exit(1)
    }
}

extension CommandEnvironment {
    /// Runs `body`; an `AtriumError` (a client-facing domain error) becomes one line on stderr and exit status 1.
    func reportingDomainErrors<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as AtriumError {
            Self.fail(error.message)
        }
    }
}
