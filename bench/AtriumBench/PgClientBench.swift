import ArgumentParser
import AtriumCore
import Foundation
import Logging
import PostgresNIO

/// The client side of a findOne-like statement, two ways: Atrium's statement path on postgres-nio
/// (``Database/firstText(_:effect:logger:)``, prepared statements included) and on libpq in pipeline mode (the
/// server's ``LibpqStatementPath``, with the same prepared-statement admission). Both
/// run the same prepared one-row indexed `SELECT` rendering JSON, from the same number of concurrent Swift tasks over
/// the same number of connections, and print statements per second and the bench process's CPU per statement (the
/// client's cost alone: PostgreSQL runs in its own processes).
///
/// Floor: pgbench is what the REST bench calls the statement's floor; here the comparison is between the two clients,
/// so the ratio printed is libpq's CPU per statement over postgres-nio's.
struct PgClientBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pg-client")

    @Option(help: "Concurrent callers, space-separated.") var concurrency = "1 16"
    @Option(help: "Seconds per run.") var seconds = 5.0
    @Option(help: "Rows in the bench table.") var rows = 10_000

    static let table = "public.\"atrium_bench_pg_client\""
    static let statement = """
        SELECT json_build_object('id', c."id", 'name', c."name", 'employees', c."employees", 'city', c."city", \
        'createdAt', to_char(c."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text \
        FROM \(table) c WHERE c."id" = $1::uuid
        """

    func run() async throws {
        let levels = concurrency.split(separator: " ").compactMap { Int($0) }
        guard !levels.isEmpty, levels.allSatisfy({ $0 >= 1 }), seconds > 0, rows >= 1 else {
            throw ValidationError("--concurrency takes positive numbers; --seconds and --rows must be positive")
        }
        let configuration = try AtriumConfiguration(ConfigurationValues.load())
        var nioSettings = configuration.postgres
        // The postgres-nio side must not route its reads to libpq: the bench runs LibpqStatementPath itself.
        nioSettings.libpqConnections = 0
        let settings = nioSettings
        try await BenchDatabase.withRunning(settings: settings) { database, logger in
            for sql in [
                "DROP TABLE IF EXISTS \(Self.table)",
                "CREATE TABLE \(Self.table) (\"id\" uuid PRIMARY KEY, \"name\" text, \"employees\" int, \"city\" text, "
                    + "\"createdAt\" timestamptz DEFAULT now())",
                "INSERT INTO \(Self.table) (\"id\", \"name\", \"employees\", \"city\") SELECT gen_random_uuid(), 'Company ' || n, "
                    + "n % 5000, 'City ' || (n % 100) FROM generate_series(1, \(rows)) n",
                "ANALYZE \(Self.table)",
            ] {
                _ = try await database.write(PostgresQuery(unsafeSQL: sql), logger: logger)
            }
            var ids: [String] = []
            for try await row in try await database.query(PostgresQuery(unsafeSQL: "SELECT \"id\"::text FROM \(Self.table)"), logger: logger) {
                ids.append(try row.decode(String.self))
            }
            let sample = ids
            let libpq = try LibpqStatementPath(settings: settings, connections: settings.maximumConnections, logger: logger)
            defer { libpq.shutdown() }

            print("pg-client: a prepared one-row indexed SELECT rendering JSON, \(settings.maximumConnections) connections each way, "
                + "\(format(seconds)) s per run")
            print(row("", "stmt/s", "client CPU µs/stmt", "ratio"))
            var figures: [(String, Double)] = []
            for level in levels {
                let nio = try await measure(level, ids: sample) { id in
                    try await database.firstText(PostgresQuery(unsafeSQL: Self.statement, binds: Self.binds(id)), effect: .reads, logger: logger)
                        .map { String(buffer: $0) }
                }
                let pq = try await measure(level, ids: sample) { id in
                    try await libpq.firstText(Self.statement, values: [.text(id)], prepared: database.preparedStatements.use(for: Self.statement))
                        .map { String(buffer: $0) }
                }
                print(row("postgres-nio (Database.firstText), \(level) caller(s)", format(nio.rate), format(nio.cpu), "1.00"))
                print(row("libpq (LibpqStatementPath), \(level) caller(s)", format(pq.rate), format(pq.cpu), String(format: "%.2f", pq.cpu / nio.cpu)))
                figures += [("postgres-nio stmt/s at \(level)", nio.rate), ("libpq stmt/s at \(level)", pq.rate),
                            ("postgres-nio CPU at \(level)", nio.cpu), ("libpq CPU at \(level)", pq.cpu)]
            }
            _ = try await database.write(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(Self.table)"), logger: logger)
            try BenchFigures.requirePositive(figures)
        }
    }

    private func row(_ label: String, _ a: String, _ b: String, _ c: String) -> String {
        label.padding(toLength: 48, withPad: " ", startingAt: 0) + a.padding(toLength: 10, withPad: " ", startingAt: 0)
            + b.padding(toLength: 20, withPad: " ", startingAt: 0) + c
    }

    private static func binds(_ id: String) -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(id)
        return bindings
    }

    /// Runs `callers` tasks calling `body` with random ids for ``seconds`` (after a warm-up of a fifth of it): the
    /// statements per second, and the process's CPU time (user + system) per statement in microseconds.
    private func measure(
        _ callers: Int, ids: [String], _ body: @escaping @Sendable (String) async throws -> String?
    ) async throws -> (rate: Double, cpu: Double) {
        _ = try await run(callers, for: seconds / 5, body, ids: ids)
        let cpuBefore = Self.processCPU()
        let start = ContinuousClock.now
        let count = try await run(callers, for: seconds, body, ids: ids)
        let duration = start.duration(to: .now)
        let elapsed = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let cpu = Self.processCPU() - cpuBefore
        return (Double(count) / elapsed, cpu / Double(max(count, 1)) * 1_000_000)
    }

    private func run(
        _ callers: Int, for seconds: Double, _ body: @escaping @Sendable (String) async throws -> String?, ids: [String]
    ) async throws -> Int {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        guard try await body(ids.randomElement()!) != nil else { throw ValidationError("a statement found no row") }
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
    }

    /// The process's CPU time so far (user + system), in seconds.
    private static func processCPU() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
