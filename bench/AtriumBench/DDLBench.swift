import ArgumentParser
import AtriumCore
import Foundation
import Logging
import Metrics
import PostgresNIO

/// Times metadata changes on a workspace whose `company` table holds many rows (5M by default): a TEXT field, a
/// SELECT field, a relation field (a foreign key column on company) and a custom object (with the foreign key columns
/// it adds to the junction tables). Each change is timed twice: the locked part (its transaction, what blocks other
/// writers) and the deferred part that runs after the commit without blocking them (index builds CONCURRENTLY,
/// VALIDATE CONSTRAINT).
///
/// Floor: `ALTER TABLE … ADD COLUMN` of a nullable column alone on the same table, in its own transaction.
/// Reference: Twenty's own migration of a new object took ~6 minutes of locked DDL with 15M timeline rows.
struct DDLBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddl")

    @Option(help: "Rows in the company table.") var rows = 5_000_000
    @Option(help: "Times each change is repeated (medians are printed).") var repeats = 3

    func run() async throws {
        guard rows >= 1, repeats >= 1 else { throw ValidationError("--rows and --repeats must be at least 1") }
        try await BenchDatabase.withRunning { database, logger in
            let provisioner = try WorkspaceProvisioner(database: database, objects: StandardObjects.all, upgradeSteps: [])
            let workspace = try await provisioner.create(WorkspaceCreation(displayName: "DDL bench"), logger: logger)
            do {
                try await measure(workspace, database: database, logger: logger)
                try await WorkspaceAdministration(database: database).delete(workspace.id, hard: true, logger: logger)
            } catch {
                try? await WorkspaceAdministration(database: database).delete(workspace.id, hard: true, logger: logger)
                throw error
            }
        }
    }

    private func measure(_ workspace: CreatedWorkspace, database: Database, logger: Logger) async throws {
        let schema = try SQLIdentifier(workspace.databaseSchema)
        let fillStart = ContinuousClock.now
        try await database.query(PostgresQuery(unsafeSQL: """
            INSERT INTO \(schema)."company" ("name", "employees")
            SELECT 'Company ' || g, g % 1000 FROM generate_series(1, \(rows)) g
            """), logger: logger)
        try await database.query(PostgresQuery(unsafeSQL: "VACUUM ANALYZE \(schema).\"company\""), logger: logger)
        let fill = fillStart.duration(to: .now).milliseconds
        let size = try await scalar(PostgresQuery(unsafeSQL: "SELECT pg_size_pretty(pg_total_relation_size('\(schema.quoted).\"company\"'))"),
                                    database: database, logger: logger)
        print("ddl: company table with \(rows) rows (\(size), filled in \(format(fill / 1000)) s); medians of \(repeats)")

        let cache = WorkspaceSchemaCache(database: database, store: nil, logger: logger)
        let deferred = DeferredDDLRunner(database: database, logger: logger)
        let changes = MetadataChanges(cache: cache, deferred: deferred, mode: .background)
        let company = try require(try await cache.schema(for: workspace.id, logger: logger).object(nameSingular: "company"))
        let person = try require(try await cache.schema(for: workspace.id, logger: logger).object(nameSingular: "person"))

        var results: [(String, [Double], [Double])] = []
        // Floor: a bare nullable ADD COLUMN.
        var floor: [Double] = []
        for index in 0..<repeats {
            let start = ContinuousClock.now
            try await database.withTransaction(logger: logger) { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "ALTER TABLE \(schema).\"company\" ADD COLUMN \"floor\(index)\" text"), logger: logger)
            }
            floor.append(start.duration(to: .now).milliseconds)
        }
        results.append(("floor: bare ADD COLUMN", floor, []))

        func timed(_ label: String, _ change: @Sendable (Int) async throws -> Void) async throws {
            var locked: [Double] = []
            var after: [Double] = []
            for index in 0..<repeats {
                let start = ContinuousClock.now
                try await change(index)
                locked.append(start.duration(to: .now).milliseconds)
                let deferredStart = ContinuousClock.now
                try await deferred.runPending(workspace: workspace.id, logger: logger)
                after.append(deferredStart.duration(to: .now).milliseconds)
            }
            results.append((label, locked, after))
        }
        try await timed("TEXT field (with default)") { index in
            _ = try await changes.createField(FieldCreation(objectMetadataId: company.id, type: .text, name: "note\(index)", label: "Note \(index)",
                                                            defaultValue: "'none'"), in: workspace.id, logger: logger)
        }
        try await timed("SELECT field (enum, default)") { index in
            _ = try await changes.createField(FieldCreation(objectMetadataId: company.id, type: .select, name: "tier\(index)", label: "Tier \(index)",
                                                            defaultValue: "'GOLD'", options: [FieldOptionInput(value: "GOLD", label: "Gold"),
                                                                                              FieldOptionInput(value: "SILVER", label: "Silver")]),
                                              in: workspace.id, logger: logger)
        }
        try await timed("RELATION field (FK on company)") { index in
            _ = try await changes.createField(FieldCreation(objectMetadataId: company.id, type: .relation, name: "champion\(index)", label: "Champion \(index)",
                                                            relation: RelationCreation(targetObjectMetadataId: person.id, targetFieldLabel: "Championed \(index)")),
                                              in: workspace.id, logger: logger)
        }
        try await timed("custom object (+5 junction FKs)") { index in
            let names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
            let name = names[index % names.count] + "Thing"
            _ = try await changes.createObject(ObjectCreation(nameSingular: name, namePlural: name + "s", labelSingular: name, labelPlural: name + "s"),
                                               in: workspace.id, logger: logger)
        }
        print(row("change", "locked ms", "ratio", "deferred ms"))
        let floorMedian = median(floor)
        for (label, locked, after) in results {
            print(row(label, format(median(locked)), format(median(locked) / floorMedian), after.isEmpty ? "-" : format(median(after))))
        }
        print("locked = the change's transaction (blocks writers of the table); deferred = index builds and FK validation after the commit")
        // Every locked time is measured (deferred work may legitimately be nothing).
        var figures: [(String, Double)] = results.map { ("\($0.0) locked ms", median($0.1)) }
        figures.append(("company rows", Double(rows)))
        try BenchFigures.requirePositive(figures)
    }

    private func scalar(_ query: PostgresQuery, database: Database, logger: Logger) async throws -> String {
        for try await value in try await database.query(query, logger: logger).decode(String.self) { return value }
        return ""
    }

    private func row(_ label: String, _ a: String, _ b: String, _ c: String) -> String {
        label.padding(toLength: 34, withPad: " ", startingAt: 0) + a.padding(toLength: 12, withPad: " ", startingAt: 0)
            + b.padding(toLength: 10, withPad: " ", startingAt: 0) + c
    }
}

/// `try #require`-like unwrapping for the bench.
private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw ValidationError("missing standard object") }
    return value
}
