import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import Metrics
import NIOCore
import PostgresNIO
import Testing

/// The record-read path on libpq (`PG_LIBPQ_CONNECTIONS`): the same values, answers and errors as postgres-nio's.
/// Serialized: one test ends every libpq connection of the process.
@Suite(.tags(.integration), .serialized) struct LibpqStatementPathTests {
    let logger = Logger(label: "test.libpq")

    /// A running ``Database`` whose reads go through libpq, with `sslmode` as `PG_DATABASE_URL` gives it.
    private func withLibpq(sslMode: String = "prefer", _ body: @Sendable (Database) async throws -> Void) async throws {
        var url = URLComponents(string: try TestEnvironment.required("PG_DATABASE_URL"))!
        url.queryItems = [URLQueryItem(name: "sslmode", value: sslMode)]
        let configuration = try TestEnvironment.configuration(["PG_LIBPQ_CONNECTIONS": "2", "PG_DATABASE_URL": url.string!])
        let database = Database(settings: configuration.postgres, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            try await body(database)
        }
    }

    private func text(_ database: Database, _ build: (inout SQLBuilder) -> Void) async throws -> String? {
        var sql = SQLBuilder()
        build(&sql)
        return try await database.firstText(sql, effect: .reads, logger: logger).map { String(buffer: $0) }
    }

    @Test(arguments: ["prefer", "disable"])
    func valuesKeepTheirTypesAndRunPreparedOnceAdmitted(sslMode: String) async throws {
        try await withLibpq(sslMode: sslMode) { database in
            // More runs than PreparedStatements' admission needs, so the later ones run prepared on libpq's connections.
            var statement = ""
            for round in 0..<8 {
                let answer = try await text(database) { sql in
                    sql.append("SELECT json_build_object('t', ")
                    sql.bind("Zoë \(round)")
                    sql.append("::text, 'n', ")
                    sql.bind(round)
                    sql.append(", 'types', pg_typeof(")
                    sql.bind(round)
                    sql.append(")::text, 'a', ")
                    sql.bind(["x", "y\"z", ""])
                    sql.append("::text[], 'null', ")
                    sql.bind(nil as String?)
                    sql.append("::text IS NULL)::text")
                    statement = sql.text
                }
                #expect(answer == #"{"t" : "Zoë \#(round)", "n" : \#(round), "types" : "bigint", "a" : ["x","y\"z",""], "null" : true}"#)
            }
            #expect(database.preparedStatements.use(for: statement) != nil, "the text was admitted, so it ran prepared")
        }
    }

    @Test func noRowIsNilAndErrorsAreClassifiedAsOnPostgresNIO() async throws {
        try await withLibpq { database in
            let none = try await text(database) { $0.append("SELECT 'x'::text WHERE false") }
            #expect(none == nil)
            // A missing table is a data-model change (retried by RetryPolicy), a NUL a 400, as on postgres-nio.
            await #expect { try await text(database) { $0.append("SELECT \"name\"::text FROM public.\"no_such_table_here\"") } } throws: { error in
                DatabaseFailure(error) == .missingDatabaseObject
            }
            await #expect { try await text(database) { sql in sql.append("SELECT "); sql.bind("a\u{0}b"); sql.append("::text") } } throws: { error in
                (error as? AtriumError)?.code == .validationFailed
            }
            // The connection that met the errors still serves.
            let still = try await text(database) { $0.append("SELECT 'still'::text") }
            #expect(still == "still")
        }
    }

    @Test func manyConcurrentStatementsShareTheConnections() async throws {
        try await withLibpq { database in
            let answers = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        var sql = SQLBuilder()
                        sql.append("SELECT ")
                        sql.bind(index)
                        sql.append("::text")
                        return try await database.firstText(sql, effect: .reads, logger: logger).map { String(buffer: $0) } == "\(index)"
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(answers.count == 200 && answers.allSatisfy { $0 })
        }
    }

    @Test func aFailingStatementFailsNoOtherRequestsStatement() async throws {
        try await withLibpq { database in
            // Good and bad statements interleaved from many tasks share the connections' pipelines.
            let outcomes = try await withThrowingTaskGroup(of: (good: Bool, answered: Bool).self) { group in
                for index in 0..<300 {
                    group.addTask {
                        var sql = SQLBuilder()
                        sql.append("SELECT ")
                        sql.bind(index % 2 == 0 ? "\(index)" : "not a number")
                        sql.append("::int::text")
                        do {
                            let text = try await database.firstText(sql, effect: .reads, logger: logger)
                            return (index % 2 == 0, text.map { String(buffer: $0) } == "\(index)")
                        } catch {
                            return (index % 2 == 0, false)
                        }
                    }
                }
                return try await group.reduce(into: [(good: Bool, answered: Bool)]()) { $0.append($1) }
            }
            let goodAnswered = outcomes.filter { $0.good }.allSatisfy { $0.answered }
            let badFailed = outcomes.filter { !$0.good }.allSatisfy { !$0.answered }
            #expect(outcomes.count == 300)
            #expect(goodAnswered, "every good statement answered")
            #expect(badFailed, "every bad one failed")
        }
    }

    @Test func aLostConnectionFailsAsUnavailableAndTheNextStatementReconnects() async throws {
        try await withLibpq { database in
            let before = try await text(database) { $0.append("SELECT 'before'::text") }
            #expect(before == "before")
            // Another session ends every libpq connection of this process (application_name atrium-libpq) while idle.
            _ = try await database.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'atrium-libpq'", logger: logger)
            var answered = false
            for _ in 0..<20 where !answered {
                do {
                    answered = try await text(database) { $0.append("SELECT 'after'::text") } == "after"
                } catch let error as AtriumError {
                    #expect(error.code == .unavailable)
                    try await Task.sleep(for: .milliseconds(300))
                }
            }
            #expect(answered)
        }
    }
}
