import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import Metrics
import PostgresNIO
import Testing

/// A write is acknowledged only once PostgreSQL confirmed its commit.
///
/// A statement on its own is committed when PostgreSQL reads the protocol's `Sync`, after it sent the rows and
/// `CommandComplete`; postgres-nio completes the query at `CommandComplete`. Whatever ends the implicit transaction in
/// between, a server killed by a restart (the fault suite saw 1 acknowledged create in 3,000 lost that way) or a
/// deferred constraint failing at commit, leaves the caller with the rows of a write that was rolled back. A deferred
/// constraint trigger makes that window deterministic here.
@Suite(.tags(.integration)) struct DatabaseWriteConfirmationTests {
    let logger = Logger(label: "test.database.write")

    @Test func aWriteRolledBackAtCommitIsAFailureNotAnAnswer() async throws {
        let database = Database(settings: try TestEnvironment.configuration().postgres, logger: logger, metricsFactory: NOOPMetricsHandler.instance)
        let table = "write_confirmation_\(UUID().uuidString.lowercased().prefix(8))"
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            try await database.withConnection { connection in
                for statement in [
                    "CREATE TABLE public.\(table) (id int)",
                    """
                    CREATE FUNCTION public.\(table)_refuse() RETURNS trigger LANGUAGE plpgsql AS
                        $$ BEGIN RAISE EXCEPTION 'refused at commit' USING ERRCODE = '23514'; END $$
                    """,
                    """
                    CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON public.\(table) DEFERRABLE INITIALLY DEFERRED
                        FOR EACH ROW EXECUTE FUNCTION public.\(table)_refuse()
                    """,
                ] {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Database.silentLogger)
                }
            }
            let insert = PostgresQuery(unsafeSQL: "INSERT INTO public.\(table) VALUES (1) RETURNING id::text")

            // The hazard itself: a lone statement hands back the row of an insert PostgreSQL then rolled back.
            var hazardRows = 0
            do {
                for try await _ in try await database.query(insert, logger: logger) { hazardRows += 1 }
            } catch {}
            #expect(hazardRows == 1, "postgres-nio no longer completes a lone statement before its commit: the BEGIN/COMMIT of writes could go")

            // Through the write paths the commit's failure is the answer.
            await #expect(throws: (any Error).self) { try await database.write(insert, logger: logger) }
            await #expect(throws: (any Error).self) { try await database.firstText(insert, effect: .writes, logger: logger) }

            var count = -1
            for try await value in try await database.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM public.\(table)"), logger: logger)
                .decode(Int.self) { count = value }
            #expect(count == 0)
            try await database.withConnection { connection in
                for statement in ["DROP TABLE public.\(table)", "DROP FUNCTION public.\(table)_refuse()"] {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Database.silentLogger)
                }
            }
        }
    }
}
