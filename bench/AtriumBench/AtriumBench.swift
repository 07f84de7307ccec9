import ArgumentParser
import AtriumCore
import Foundation
import Logging
import Metrics
import PostgresNIO

/// `atrium-bench`: in-process benchmarks of domain operations, each printed as a ratio to a floor measured in the
/// same run on the same server.
@main
struct AtriumBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atrium-bench",
        subcommands: [WorkspaceCreateBench.self, MetadataCacheBench.self, RedisBench.self, DDLBench.self, PgClientBench.self, EventsBench.self]
    )
}

/// Times workspace creation with the full standard object set, both ways: claiming a pre-built spare schema (the
/// normal path) and cold, running the DDL in the creation transaction (when no spare is ready).
///
/// Floor: the same DDL batch alone (one DO block in a transaction that is rolled back), i.e. what PostgreSQL itself
/// needs to create the tables; ratios are each path's total over it.
struct WorkspaceCreateBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "workspace-create")

    @Option(help: "Workspaces to create.") var count = 30

    func run() async throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        try await BenchDatabase.withRunning { database, logger in
            let registry = try UpgradeRegistry.shipped()
            let provisioner = try WorkspaceProvisioner(database: database, objects: StandardObjects.all, upgradeSteps: registry.workspaceStepNames)
            let administration = WorkspaceAdministration(database: database)

            let pool = try SpareSchemaPool(database: database, objects: StandardObjects.all)
            var floor: [Double] = []
            var cold: [Double] = []
            var totals: [Double] = []
            var created: [UUID] = []
            for index in 0..<count {
                let schema = try SQLIdentifier(WorkspaceSchemaName.of(UUID()))
                let ddl = try WorkspaceDDL(schema: schema, objects: StandardObjects.all).createWorkspace(StandardObjects.all)
                let floorStart = ContinuousClock.now
                do {
                    try await database.withTransaction(logger: logger) { connection in
                        try await connection.query(PostgresQuery(unsafeSQL: WorkspaceProvisioner.batch(ddl)), logger: logger)
                        throw Rollback()
                    }
                } catch is PostgresTransactionError {}
                floor.append(floorStart.duration(to: .now).milliseconds)

                // Cold: no spare ready, the DDL runs inside the creation.
                while try await pool.count(logger: logger) > 0 {
                    created.append(try await provisioner.create(WorkspaceCreation(displayName: "Drain \(index)"), logger: logger).id)
                }
                let coldStart = ContinuousClock.now
                created.append(try await provisioner.create(WorkspaceCreation(displayName: "Cold \(index)"), logger: logger).id)
                cold.append(coldStart.duration(to: .now).milliseconds)

                // Normal: a spare is ready (the server keeps some in the background).
                try await pool.replenish(target: 1, logger: logger)
                let start = ContinuousClock.now
                let workspace = try await provisioner.create(WorkspaceCreation(displayName: "Bench \(index)"), logger: logger)
                totals.append(start.duration(to: .now).milliseconds)
                created.append(workspace.id)
            }
            for id in created { try await administration.delete(id, hard: true, logger: logger) }
            let objects = StandardObjects.all.count
            let fields = StandardObjects.all.reduce(0) { $0 + $1.allFields.count }
            print("workspace-create: \(count) workspaces, \(objects) objects and \(fields) fields each")
            print(row("", "median ms", "p90 ms", "ratio"))
            print(row("floor: DDL batch only", format(median(floor)), format(percentile(floor, 0.9)), "1.00"))
            print(row("atrium: cold (DDL inside)", format(median(cold)), format(percentile(cold, 0.9)), format(median(cold) / median(floor))))
            print(row("atrium: spare schema", format(median(totals)), format(percentile(totals, 0.9)), format(median(totals) / median(floor))))
            try BenchFigures.requirePositive([
                "floor median ms": median(floor), "cold median ms": median(cold), "spare schema median ms": median(totals),
            ])
            print("goal: median under 100 ms")
        }
    }

    struct Rollback: Error {}

    func row(_ a: String, _ b: String, _ c: String, _ d: String) -> String {
        a.padding(toLength: 26, withPad: " ", startingAt: 0) + b.padding(toLength: 12, withPad: " ", startingAt: 0)
            + c.padding(toLength: 10, withPad: " ", startingAt: 0) + d
    }
}
