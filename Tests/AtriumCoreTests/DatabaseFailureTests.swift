import AtriumCore
import AtriumTestSupport
import Logging
import Metrics
import PostgresNIO
import Testing

/// The SQLSTATE table: what real PostgreSQL errors mean (``DatabaseFailure``), read in one place.
@Suite(.tags(.integration)) struct DatabaseFailureTests {
    let logger = Logger(label: "test.database.failure")

    /// Runs `body` on one connection of a running pool.
    func withConnection(_ body: @escaping @Sendable (PostgresConnection) async throws -> Void) async throws {
        let database = Database(settings: try TestEnvironment.configuration().postgres, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            try await database.withConnection(body)
            group.cancelAll()
        }
    }

    /// The failure `statement` raises, run alone (its rows read: an error can come after them).
    static func failure(of statement: PostgresQuery, on connection: PostgresConnection) async -> DatabaseFailure? {
        do {
            for try await _ in try await connection.query(statement, logger: Database.silentLogger) {}
            return nil
        } catch {
            return DatabaseFailure(error)
        }
    }

    @Test func constraintAndValueErrorsNameWhatWasRefused() async throws {
        try await withConnection { connection in
            let table = "failure_\(Int.random(in: 1...1_000_000))"
            try await connection.query(PostgresQuery(unsafeSQL: """
                CREATE TEMP TABLE \(table) (id int PRIMARY KEY, n int NOT NULL CHECK (n > 0), parent int REFERENCES \(table)(id))
                """), logger: Database.silentLogger)
            try await connection.query(PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES (1, 1, NULL)"), logger: Database.silentLogger)
            func failure(_ sql: String) async -> DatabaseFailure? { await Self.failure(of: PostgresQuery(unsafeSQL: sql), on: connection) }
            #expect(await failure("INSERT INTO \(table) VALUES (1, 1, NULL)") == .uniqueViolation(constraint: "\(table)_pkey"))
            #expect(await failure("INSERT INTO \(table) VALUES (2, 1, 99)") == .foreignKeyViolation)
            #expect(await failure("INSERT INTO \(table) VALUES (3, NULL, NULL)") == .notNullViolation(column: "n"))
            #expect(await failure("INSERT INTO \(table) VALUES (4, -1, NULL)") == .invalidValue)
            #expect(await failure("SELECT 'soon'::date") == .invalidValue)
            #expect(await failure("SELECT * FROM \(table)_gone") == .missingDatabaseObject)
            #expect(await failure("SELECT nope FROM \(table)") == .missingDatabaseObject)
            #expect(await failure("CREATE TEMP TABLE \(table) (id int)") == .duplicateName)
            #expect(await Self.failure(of: "SELECT \("a\u{0}b")::text", on: connection) == .unstorableText)
            try await connection.query("SET statement_timeout = 50", logger: Database.silentLogger)
            #expect(await failure("SELECT pg_sleep(1)") == .statementTimeout)
            try await connection.query("RESET statement_timeout", logger: Database.silentLogger)
            #expect(await failure("SELECT 1") == nil)
        }
    }

    @Test(arguments: [
        ("40001", DatabaseFailure.concurrencyConflict), ("40P01", .concurrencyConflict), ("42501", .rowOutsideRole),
        ("55P03", .lockNotAvailable), ("57014", .statementTimeout), ("57P01", .connectionLost), ("53300", .connectionLost),
        ("08006", .connectionLost), ("25P03", .connectionLost), ("3F000", .missingDatabaseObject), ("42704", .missingDatabaseObject),
        ("42701", .duplicateName), ("22P02", .invalidValue), ("22021", .unstorableText), ("42804", .invalidValue),
        ("AT001", .refusedCursor(message: "raised")), ("P0001", nil), ("XX000", nil),
    ] as [(String, DatabaseFailure?)])
    func everySQLStateOfTheTableMeansOneFailure(state: String, expected: DatabaseFailure?) async throws {
        try await withConnection { connection in
            let raise = PostgresQuery(unsafeSQL: "DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '\(state)'; END $$")
            #expect(await Self.failure(of: raise, on: connection) == expected, "\(state)")
        }
    }
}
