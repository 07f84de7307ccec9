import Foundation
import Logging
import PostgresNIO

/// `core."upgradeMigration"`: the append-only record of every upgrade step's attempts, per instance and per workspace.
///
/// A step counts as done for a scope (the instance, or one workspace) when its latest attempt there is `completed`.
/// Completed rows are written in the same transaction as the step's change, so a step is never applied twice.
public struct UpgradeLedger: Sendable {
    /// The latest attempt of one step in one scope.
    public struct Attempt: Sendable, Hashable {
        public let status: Status
        public let attempt: Int
        public let errorMessage: String?
    }

    /// Outcome of an attempt.
    public enum Status: String, Sendable, Hashable {
        case completed, failed
    }

    /// Latest attempts by step name: for the instance, and for each workspace.
    public struct State: Sendable {
        public var instance: [String: Attempt] = [:]
        public var workspaces: [UUID: [String: Attempt]] = [:]

        public func isCompleted(_ name: String, workspace: UUID? = nil) -> Bool {
            let attempt = if let workspace { workspaces[workspace]?[name] } else { instance[name] }
            return attempt?.status == .completed
        }

        mutating func mark(_ name: String, workspace: UUID?, status: Status, error: String?) {
            if let workspace {
                let previous = workspaces[workspace]?[name]?.attempt ?? 0
                workspaces[workspace, default: [:]][name] = Attempt(status: status, attempt: previous + 1, errorMessage: error)
            } else {
                instance[name] = Attempt(status: status, attempt: (instance[name]?.attempt ?? 0) + 1, errorMessage: error)
            }
        }
    }

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Creates `core` and the ledger table when missing. Idempotent.
    public func bootstrap(logger: Logger) async throws {
        try await database.withConnection { connection in
            try await SQLScript(Self.bootstrapSQL).run(on: connection, logger: logger)
        }
    }

    /// Whether the ledger table exists (false on an empty database, which a dry run must not change).
    public func exists(logger: Logger) async throws -> Bool {
        let rows = try await database.query(#"SELECT to_regclass('core."upgradeMigration"') IS NOT NULL"#, logger: logger)
        for try await exists in rows.decode(Bool.self) { return exists }
        return false
    }

    /// Reads the latest attempt of every step in every scope.
    public func read(logger: Logger) async throws -> State {
        var state = State()
        guard try await exists(logger: logger) else { return state }
        let rows = try await database.query("""
            SELECT DISTINCT ON (name, "workspaceId") name, "workspaceId", status, attempt, "errorMessage"
            FROM core."upgradeMigration"
            ORDER BY name, "workspaceId", attempt DESC
            """, logger: logger)
        for try await (name, workspace, status, attempt, error) in rows.decode((String, UUID?, String, Int, String?).self) {
            let entry = Attempt(status: Status(rawValue: status) ?? .failed, attempt: attempt, errorMessage: error)
            if let workspace {
                state.workspaces[workspace, default: [:]][name] = entry
            } else {
                state.instance[name] = entry
            }
        }
        return state
    }

    /// Appends an attempt of `name` for `workspace` (nil: the instance) on `connection`, so it commits with the step.
    public static func record(
        _ name: String, status: Status, workspace: UUID?, error: String? = nil, isInitial: Bool = false,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query("""
            INSERT INTO core."upgradeMigration" (name, status, attempt, "executedByVersion", "errorMessage", "workspaceId", "isInitial")
            SELECT \(name), \(status.rawValue), COALESCE(max(attempt), 0) + 1, \(AtriumVersion.current.description), \(error), \(workspace), \(isInitial)
            FROM core."upgradeMigration" WHERE name = \(name) AND "workspaceId" IS NOT DISTINCT FROM \(workspace)
            """, logger: logger)
    }

    /// Appends a failed attempt on its own connection (the step's transaction has rolled back).
    public func recordFailure(_ name: String, workspace: UUID?, error: String, logger: Logger) async throws {
        try await database.withConnection { connection in
            try await Self.record(name, status: .failed, workspace: workspace, error: error, on: connection, logger: logger)
        }
    }

    /// Stamps a newly created workspace as having completed every workspace step of this build, so it never
    /// replays history (its schema was created in the latest shape). Runs in the creation transaction.
    public static func stampNewWorkspace(_ workspace: UUID, steps: [String], on connection: PostgresConnection, logger: Logger) async throws {
        guard !steps.isEmpty else { return }
        try await connection.query("""
            INSERT INTO core."upgradeMigration" (name, status, attempt, "executedByVersion", "workspaceId", "isInitial")
            SELECT step, 'completed', 1, \(AtriumVersion.current.description), \(workspace), true FROM unnest(\(steps)::text[]) AS step
            """, logger: logger)
    }

    static let bootstrapSQL = """
        CREATE SCHEMA IF NOT EXISTS core;
        CREATE TABLE IF NOT EXISTS core."upgradeMigration" (
            "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            "name" varchar NOT NULL,
            "status" varchar NOT NULL CHECK ("status" IN ('completed', 'failed')),
            "attempt" integer NOT NULL DEFAULT 1,
            "executedByVersion" varchar NOT NULL,
            "errorMessage" text,
            "isInitial" boolean NOT NULL DEFAULT false,
            "workspaceId" uuid,
            "createdAt" timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX IF NOT EXISTS "IDX_UPGRADE_MIGRATION_INSTANCE_ATTEMPT"
            ON core."upgradeMigration" ("name", "attempt") WHERE "workspaceId" IS NULL;
        CREATE UNIQUE INDEX IF NOT EXISTS "IDX_UPGRADE_MIGRATION_WORKSPACE_ATTEMPT"
            ON core."upgradeMigration" ("name", "attempt", "workspaceId") WHERE "workspaceId" IS NOT NULL;
        CREATE INDEX IF NOT EXISTS "IDX_UPGRADE_MIGRATION_WORKSPACE" ON core."upgradeMigration" ("workspaceId");
        """
}
