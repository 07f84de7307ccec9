import Foundation
import Logging
import PostgresNIO

/// Where a workspace command runs: one workspace and its schema.
public struct WorkspaceTarget: Sendable, Hashable {
    public let id: UUID
    /// The workspace's schema name, validated (`workspace_<base36>`).
    public let schema: SQLIdentifier

    public init(id: UUID, schema: SQLIdentifier) {
        self.id = id
        self.schema = schema
    }
}

/// What part of the instance a step changes, and how it runs.
public enum UpgradeStepKind: String, Sendable, Hashable, CaseIterable {
    /// Quick DDL/SQL on `core`, in one transaction.
    case fast
    /// A data migration outside any transaction, then `up` in a transaction.
    case slow
    /// Runs once in every workspace schema, each in its own transaction.
    case workspace
}

/// One registered upgrade step: an instance command (fast or slow) or a workspace command.
///
/// Its ``name`` is `<version>_<ClassName>_<timestamp>`, as Twenty names its commands, and is what
/// `core.upgradeMigration` records.
public struct UpgradeCommand: Sendable {
    public typealias Statement = @Sendable (PostgresConnection, Logger) async throws -> Void
    public typealias DataMigration = @Sendable (Database, Logger) async throws -> Void
    public typealias WorkspaceStatement = @Sendable (PostgresConnection, WorkspaceTarget, Logger) async throws -> Void

    public let version: SemanticVersion
    /// Milliseconds since 1970 when the command was written; orders commands of one kind within a version.
    public let timestamp: Int64
    /// PascalCase class-like name (`CreateWorkspaceTable`).
    public let className: String
    public let kind: UpgradeStepKind
    /// For instance commands: the change, run in a transaction.
    public let up: Statement?
    /// For instance commands: the inverse of `up`.
    public let down: Statement?
    /// For slow commands: prepares data, outside any transaction, before `up`.
    public let dataMigration: DataMigration?
    /// For workspace commands: the change to one workspace schema.
    public let workspace: WorkspaceStatement?

    /// `<version>_<ClassName>_<timestamp>`.
    public var name: String { "\(version)_\(className)_\(timestamp)" }

    /// A fast instance command.
    public static func fast(
        _ version: SemanticVersion, _ timestamp: Int64, _ className: String, up: @escaping Statement, down: @escaping Statement
    ) -> UpgradeCommand {
        UpgradeCommand(version: version, timestamp: timestamp, className: className, kind: .fast, up: up, down: down, dataMigration: nil, workspace: nil)
    }

    /// A slow instance command: `dataMigration` first (skipped on an instance with no active or suspended workspace), then `up`.
    public static func slow(
        _ version: SemanticVersion, _ timestamp: Int64, _ className: String,
        dataMigration: @escaping DataMigration, up: @escaping Statement, down: @escaping Statement
    ) -> UpgradeCommand {
        UpgradeCommand(
            version: version, timestamp: timestamp, className: className, kind: .slow, up: up, down: down, dataMigration: dataMigration, workspace: nil
        )
    }

    /// A workspace command, run once per workspace schema.
    public static func workspace(
        _ version: SemanticVersion, _ timestamp: Int64, _ className: String, run: @escaping WorkspaceStatement
    ) -> UpgradeCommand {
        UpgradeCommand(version: version, timestamp: timestamp, className: className, kind: .workspace, up: nil, down: nil, dataMigration: nil, workspace: run)
    }
}
