import AtriumCore
import AtriumTestSupport
import Logging
import Metrics
import PostgresNIO
import Testing

@Suite(.tags(.integration)) struct DatabaseTests {
    let logger = Logger(label: "test.database")

    @Test func queriesARealServerAndReportsReachability() async throws {
        let configuration = try TestEnvironment.configuration()
        let database = Database(settings: configuration.postgres, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            var sum = 0
            for try await value in try await database.query("SELECT \(40) + \(2)", logger: logger).decode(Int.self) {
                sum = value
            }
            #expect(sum == 42)
            #expect(await database.isReachable(timeout: .seconds(10), logger: logger))
            let rolledBack = try await database.withTransaction(logger: logger) { connection in
                try await connection.query("CREATE TEMP TABLE probe (n int) ON COMMIT DROP", logger: logger)
                return true
            }
            #expect(rolledBack)
            group.cancelAll()
        }
    }

    @Test func unreachableServerIsReportedNotThrown() async throws {
        let configuration = try TestEnvironment.configuration(["PG_DATABASE_URL": "postgres://nobody:x@127.0.0.1:1/none?sslmode=disable"])
        let database = Database(settings: configuration.postgres, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            #expect(await database.isReachable(timeout: .milliseconds(500), logger: logger) == false)
            group.cancelAll()
        }
    }
}
