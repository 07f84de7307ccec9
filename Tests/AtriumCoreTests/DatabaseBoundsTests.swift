@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import Metrics
import PostgresNIO
import Testing

/// Every wait of ``Database`` is bounded: the lease, a workspace's share of the pool, the statement, and an
/// unreachable server; each failure is a classified ``AtriumError``, never a hang.
@Suite(.tags(.integration, .timing)) struct DatabaseBoundsTests {
    let logger = Logger(label: "test.database.bounds")

    /// A database with `change` applied to the test settings, running for the duration of `body`.
    func withDatabase(
        _ change: (inout PostgresSettings) -> Void, _ body: @Sendable (Database) async throws -> Void
    ) async throws {
        var settings = try TestEnvironment.configuration().postgres
        change(&settings)
        let database = Database(settings: settings, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        let pool = Task { await database.run() }
        defer { pool.cancel() }
        // A loaded parallel run can take longer than a tight lease bound to open the first connection: open it first.
        for attempt in 1...50 {
            do {
                try await database.query("SELECT 1", logger: logger)
                break
            } catch where attempt < 50 && settings.port != 1 {
                logger.info("opening the first connection, attempt \(attempt): \(error)")
                continue
            } catch {
                break
            }
        }
        try await body(database)
    }

    /// Holds one pooled connection for `seconds` (in a task the caller awaits or cancels).
    func holdConnection(_ database: Database, seconds: Double) -> Task<Void, any Error> {
        let logger = logger
        return Task { try await database.query("SELECT pg_sleep(\(seconds))", logger: logger) }
    }

    @Test func aLeaseWaitsNoLongerThanTheAcquireTimeout() async throws {
        try await withDatabase({ $0.maximumConnections = 1; $0.acquireTimeout = .milliseconds(300) }) { database in
            let holder = holdConnection(database, seconds: 5)
            try await Task.sleep(for: .seconds(1))
            let started = ContinuousClock.now
            await #expect { try await database.query("SELECT 1", logger: logger) } throws: { error in
                (error as? AtriumError)?.code == .unavailable
            }
            let waited = started.duration(to: .now)
            // Answered at the bound (a loaded parallel test run adds scheduling delay; unbounded would be 1.8 s or more).
            #expect(waited >= .milliseconds(250) && waited < .seconds(3), "waited \(waited)")
            try await holder.value
            // The pool still serves once the connection is back.
            for try await one in try await database.query("SELECT 1", logger: logger).decode(Int.self) { #expect(one == 1) }
        }
    }

    @Test func aStatementPastItsTimeoutIsATimeoutError() async throws {
        try await withDatabase({ $0.statementTimeout = .milliseconds(200) }) { database in
            let started = ContinuousClock.now
            await #expect { try await database.query("SELECT pg_sleep(5)", logger: logger) } throws: { error in
                (error as? AtriumError)?.code == .timeout
            }
            #expect(started.duration(to: .now) < .seconds(4.5))
            // A DDL-bounded transaction gets the longer bound.
            let slept = try await database.withTransaction(logger: logger, statementTimeout: .seconds(5)) { connection in
                try await connection.query("SELECT pg_sleep(0.4)", logger: Database.silentLogger)
                return true
            }
            #expect(slept)
            // And the connection it used is back at the pool's own bound.
            await #expect { try await database.query("SELECT pg_sleep(1)", logger: logger) } throws: { error in
                (error as? AtriumError)?.code == .timeout
            }
        }
    }

    @Test func oneWorkspaceCannotHoldMoreThanItsShare() async throws {
        try await withDatabase({
            $0.maximumConnections = 4; $0.maximumConnectionsPerWorkspace = 2; $0.acquireTimeout = .seconds(2)
        }) { database in
            let busy = UUID()
            let holders = (0..<2).map { _ in
                DatabaseScope.$workspace.withValue(busy) { holdConnection(database, seconds: 6) }
            }
            try await Task.sleep(for: .seconds(1))
            // The busy workspace is at its share: its next operation waits, then gives up.
            try await DatabaseScope.$workspace.withValue(busy) {
                await #expect { try await database.query("SELECT 1", logger: logger) } throws: { error in
                    (error as? AtriumError)?.code == .unavailable
                }
            }
            // Another workspace, and instance-level work, still get connections at once.
            let started = ContinuousClock.now
            try await DatabaseScope.$workspace.withValue(UUID()) {
                for try await one in try await database.query("SELECT 1", logger: logger).decode(Int.self) { #expect(one == 1) }
            }
            for try await one in try await database.query("SELECT 1", logger: logger).decode(Int.self) { #expect(one == 1) }
            #expect(started.duration(to: .now) < .seconds(5))
            for holder in holders { try await holder.value }
            // Released slots serve the busy workspace again.
            try await DatabaseScope.$workspace.withValue(busy) {
                for try await one in try await database.query("SELECT 1", logger: logger).decode(Int.self) { #expect(one == 1) }
            }
        }
    }

    @Test func anUnreachableServerFailsWithinTheBound() async throws {
        try await withDatabase({
            $0.host = "127.0.0.1"; $0.port = 1; $0.acquireTimeout = .milliseconds(500)
        }) { database in
            for _ in 0..<3 {
                let started = ContinuousClock.now
                await #expect { try await database.query("SELECT 1", logger: logger) } throws: { error in
                    (error as? AtriumError)?.code == .unavailable
                }
                #expect(started.duration(to: .now) < .seconds(3), "waited \(started.duration(to: .now))")
            }
        }
    }

    @Test func aServerShutdownIsUnavailableNotAnInternalError() async throws {
        try await withDatabase({ _ in }) { database in
            logger.info("terminating our own backend")
            // Terminating our own backend is what a PostgreSQL restart does to every connection (57P01).
            await #expect {
                try await database.query("SELECT pg_terminate_backend(pg_backend_pid())", logger: logger)
            } throws: { error in
                guard let error = error as? AtriumError else { return false }
                return error.code == .unavailable && error.retryReason == .connectionLost
            }
            // The pool drops the dead connection and serves again. Run right after (one test at a time, nothing else
            // running), the next lease can still get the dead connection before its close is read: that request fails
            // as connection lost too (REST and GraphQL retry it once), and the one after is served.
            var served = false
            for attempt in 0..<3 where !served {
                // Two full runs in five once stalled here for 152 s (eight 19 s bounds): these lines say which step.
                logger.info("after the terminated backend: SELECT 1, attempt \(attempt)")
                do {
                    for try await one in try await database.query("SELECT 1", logger: logger).decode(Int.self) {
                        #expect(one == 1)
                        served = true
                    }
                } catch let error as AtriumError where error.retryReason == .connectionLost {
                    continue
                }
            }
            #expect(served)
        }
    }
}

/// ``WorkspaceConnectionShares`` through ``Database``'s behaviour is above; the pool replacement has its own test.
@Suite(.tags(.integration, .timing)) struct PoolReplacementTests {
    let logger = Logger(label: "test.database.replacement")

    @Test func aPoolStuckWhilePostgreSQLAcceptsConnectionsIsReplaced() async throws {
        // A pool whose every connection attempt fails (a wrong password) times out its leases while PostgreSQL accepts
        // TCP connections: the probe replaces it, and the replacement is used by the next operations.
        var settings = try TestEnvironment.configuration().postgres
        settings.password = "wrong-password"
        settings.acquireTimeout = .milliseconds(300)
        let database = Database(settings: settings, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        let pool = Task { await database.run() }
        defer { pool.cancel() }
        await #expect { try await database.query("SELECT 1", logger: logger) } throws: { error in
            (error as? AtriumError)?.code == .unavailable
        }
        // Leases keep failing, none succeeding: after a second of that the pool counts as stuck.
        let deadline = ContinuousClock.now + .seconds(5)
        while database.poolReplacements == 0, ContinuousClock.now < deadline {
            _ = try? await database.query("SELECT 1", logger: logger)
        }
        #expect(database.poolReplacements >= 1)
    }

    /// A replaced client keeps running while a transaction still uses one of its connections. Shut down after the
    /// pool's own bounds (2.5 s here), it left a DDL-bounded transaction of 4 s waiting forever: this test hung.
    @Test(.timeLimit(.minutes(1))) func aReplacedPoolServesTheTransactionsStillUsingIt() async throws {
        var settings = try TestEnvironment.configuration().postgres
        settings.acquireTimeout = .milliseconds(300)
        settings.statementTimeout = .milliseconds(200)
        let database = Database(settings: settings, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        let pool = Task { await database.run() }
        defer { pool.cancel() }
        for attempt in 1...50 {
            do { try await database.query("SELECT 1", logger: logger); break } catch where attempt < 50 { continue }
        }
        let logger = logger
        let transaction = Task {
            try await database.withTransaction(logger: logger, statementTimeout: .seconds(10)) { connection in
                try await connection.query("SELECT pg_sleep(4)", logger: Database.silentLogger)
                return true
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        database.replacePool()
        #expect(try await transaction.value)
        #expect(database.poolReplacements == 1)
        // The new client serves.
        for try await one in try await database.query("SELECT 1", logger: logger).decode(Int.self) { #expect(one == 1) }
    }
}
