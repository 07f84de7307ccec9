import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Imports queued because their file was too large to import in the request (`core."csvImport"`), and the worker
/// service that runs them.
///
/// A worker claims the oldest pending import with a lease, checks its staged rows once, then writes them in ranges of
/// ``rangeSize`` rows. Each range commits with the progress it makes (`rowsDone`, counts), so a worker that dies leaves
/// the import, when its lease runs out, to the next worker, which goes on from the last committed range: no row is
/// written twice or lost. A cancelled import stops before its next range.
public struct CSVImportJobs: Service {
    public let database: Database
    let metadata: WorkspaceSchemaCache
    let recordsEvents: Bool
    let logger: Logger
    /// The rows written per transaction (and per batch of events).
    public var rangeSize = 5_000
    /// How long a claimed import is the claiming worker's; renewed with every range.
    public var lease: Duration = .seconds(60)
    /// The pause when no import is pending.
    public var idlePause: Duration = .milliseconds(500)

    public init(database: Database, metadata: WorkspaceSchemaCache, recordsEvents: Bool, logger: Logger) {
        self.database = database
        self.metadata = metadata
        self.recordsEvents = recordsEvents
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            var worked = false
            do {
                worked = try await runNext()
            } catch {
                logger.warning("cannot run a queued CSV import; will try again", metadata: ["error": "\(error)"])
            }
            if !worked { await pauseUnlessShuttingDown(idlePause) }
        }
    }

    // MARK: - Store

    /// Queues an import whose rows are staged in `CSVImporter.stagingTable(id)`, in the staging transaction.
    static func insert(
        id: UUID, options: CSVImportOptions, header: [String], rowCount: Int, report: CSVImportReport, in scope: RecordScope,
        on connection: PostgresConnection
    ) async throws {
        var sql = SQLBuilder()
        sql.append("INSERT INTO core.\"csvImport\" (\"id\", \"workspaceId\", \"objectMetadataId\", \"upsert\", \"atomic\", \"header\", \"mapping\", ")
        sql.append("\"rowCount\", \"failedCount\", \"errors\", \"userId\", \"workspaceMemberId\", \"apiKeyId\", \"actorName\") VALUES (")
        sql.bind(id.lowercased)
        sql.append("::uuid, ")
        sql.bind(scope.workspace.workspaceID.lowercased)
        sql.append("::uuid, ")
        sql.bind(scope.object.id.lowercased)
        sql.append("::uuid, \(options.upsert), \(options.atomic), ")
        sql.bind(header)
        sql.append("::text[], ")
        let mapping = options.mapping.mapValues { $0.map(JSONValue.string) ?? .null }
        sql.bind(String(decoding: try JSONEncoder().encode(mapping), as: UTF8.self))
        sql.append("::jsonb, ")
        sql.bind(rowCount)
        sql.append(", ")
        sql.bind(report.failedCount)
        sql.append(", ")
        sql.bind(String(decoding: try JSONEncoder().encode(report.errors), as: UTF8.self))
        sql.append("::jsonb, ")
        let actor = scope.actor
        for id in [actor.userID, actor.workspaceMemberID, actor.apiKeyID] {
            sql.bind(id?.lowercased)
            sql.append("::uuid, ")
        }
        sql.bind(actor.name)
        sql.append(")")
        try await connection.query(sql.query, logger: scope.logger)
    }

    /// The import `id` of `workspace`'s `object`, as a report.
    /// - Throws: 404 when the workspace has no such import of that object.
    public static func report(_ id: UUID, object: WorkspaceSchema.Object, workspace: UUID, database: Database, logger: Logger) async throws -> CSVImportReport {
        var sql = SQLBuilder()
        sql.append("SELECT json_build_object('id', \"id\", 'status', \"status\", 'dryRun', false, 'atomic', \"atomic\", 'rowCount', \"rowCount\", ")
        sql.append("'rowsDone', \"rowsDone\", 'createdCount', \"createdCount\", 'updatedCount', \"updatedCount\", 'failedCount', \"failedCount\", ")
        sql.append("'errors', \"errors\", 'skippedColumns', '[]'::json, 'message', \"message\")::text FROM core.\"csvImport\" WHERE ")
        appendImport(id, object: object, workspace: workspace, to: &sql)
        guard let text = try await database.firstText(sql, effect: .reads, logger: logger) else {
            throw AtriumError(.notFound, "No import \(id.lowercased) of \(object.namePlural)")
        }
        return try JSONDecoder().decode(CSVImportReport.self, from: Data(text.readableBytesView))
    }

    /// Cancels a queued or running import: it stops before its next range (what it wrote stays).
    /// - Throws: 404 when the workspace has no such import of that object, 400 when it has ended.
    public static func cancel(_ id: UUID, object: WorkspaceSchema.Object, workspace: UUID, database: Database, logger: Logger) async throws -> CSVImportReport {
        var sql = SQLBuilder()
        sql.append("UPDATE core.\"csvImport\" SET \"status\" = 'CANCELLED', \"finishedAt\" = now() WHERE ")
        appendImport(id, object: object, workspace: workspace, to: &sql)
        sql.append(" AND \"status\" IN ('QUEUED', 'RUNNING') RETURNING \"id\"::text")
        let cancelled = try await database.firstText(sql, effect: .writes, logger: logger) != nil
        let report = try await report(id, object: object, workspace: workspace, database: database, logger: logger)
        guard cancelled else { throw AtriumError(.badRequest, "Import \(id.lowercased) has ended (\(report.status)); it cannot be cancelled") }
        return report
    }

    /// `"id" = … AND "workspaceId" = … AND "objectMetadataId" = …`: the import, only in its workspace and object.
    private static func appendImport(_ id: UUID, object: WorkspaceSchema.Object, workspace: UUID, to sql: inout SQLBuilder) {
        sql.append("\"id\" = ")
        sql.bind(id.lowercased)
        sql.append("::uuid AND \"workspaceId\" = ")
        sql.bind(workspace.lowercased)
        sql.append("::uuid AND \"objectMetadataId\" = ")
        sql.bind(object.id.lowercased)
        sql.append("::uuid")
    }

    // MARK: - Running

    /// A claimed import.
    struct Claim {
        let id: UUID, workspace: UUID, object: UUID
        let upsert: Bool, atomic: Bool
        let header: [String]
        let mapping: [String: String?]
        let rowCount: Int
        var rowsDone: Int
        let checked: Bool
        let actor: RecordActor
    }

    /// Claims the oldest pending import and runs it to its end (or its cancellation); false when none is pending.
    public func runNext() async throws -> Bool {
        guard let claim = try await claim() else { return false }
        var jobLogger = logger
        jobLogger[metadataKey: "import"] = "\(claim.id.lowercased)"
        do {
            try await run(claim, logger: jobLogger)
        } catch {
            jobLogger.error("a queued CSV import failed", metadata: ["error": "\(error)"])
            try await finish(claim.id, status: "FAILED", message: (error as? AtriumError)?.message ?? "The import stopped on an error", logger: jobLogger)
        }
        return true
    }

    private func claim() async throws -> Claim? {
        var sql = SQLBuilder()
        sql.append("UPDATE core.\"csvImport\" SET \"status\" = 'RUNNING', \"startedAt\" = COALESCE(\"startedAt\", now()), ")
        appendLeaseEnd(to: &sql)
        sql.append(" WHERE \"id\" = (SELECT \"id\" FROM core.\"csvImport\" WHERE \"status\" IN ('QUEUED', 'RUNNING') ")
        sql.append("AND (\"leaseUntil\" IS NULL OR \"leaseUntil\" < now()) ORDER BY \"createdAt\" LIMIT 1 FOR UPDATE SKIP LOCKED) ")
        sql.append("RETURNING \"id\", \"workspaceId\", \"objectMetadataId\", \"upsert\", \"atomic\", \"header\", \"mapping\"::text, \"rowCount\", ")
        sql.append("\"rowsDone\", \"checked\", \"userId\", \"workspaceMemberId\", \"apiKeyId\", \"actorName\"")
        for try await row in try await database.write(sql.query, logger: logger) {
            let (id, workspace, object, upsert, atomic, header, mapping, rowCount, rowsDone, checked, user, member, key, name) =
                try row.decode((UUID, UUID, UUID, Bool, Bool, [String], String, Int, Int, Bool, UUID?, UUID?, UUID?, String).self)
            let decoded = try JSONDecoder().decode([String: JSONValue].self, from: Data(mapping.utf8))
            return Claim(id: id, workspace: workspace, object: object, upsert: upsert, atomic: atomic, header: header,
                         mapping: decoded.mapValues { $0.string }, rowCount: rowCount, rowsDone: rowsDone, checked: checked,
                         actor: RecordActor(source: "IMPORT", workspaceMemberID: member, name: name, userID: user, apiKeyID: key))
        }
        return nil
    }

    private func run(_ claim: Claim, logger: Logger) async throws {
        let schema = try await metadata.schema(for: claim.workspace, logger: logger)
        guard let object = schema.object(id: claim.object), object.isActive else {
            throw AtriumError(.badRequest, "The object of this import no longer exists")
        }
        let scope = RecordScope(object, in: schema, access: .unrestricted, actor: claim.actor, logger: logger)
        let policy = try scope.access.policy(for: object, in: schema)
        let mapping = try CSVImportMapping(header: claim.header, object: object, mapping: claim.mapping, policy: policy)
        let plan = try CSVImportPlan(mapping: mapping, upsert: claim.upsert, in: scope)
        let table = CSVImporter.stagingTable(claim.id)
        let events = recordsEvents && RecordEventStatement.records(object) ? RecordEventStatement(scope) : nil
        if !claim.checked {
            let refused = try await database.withTransaction(logger: logger) { connection in
                let checked = try await CSVImporter.check(plan, table: table, on: connection, logger: logger)
                var sql = SQLBuilder()
                sql.append("UPDATE core.\"csvImport\" SET \"checked\" = true, \"failedCount\" = \"failedCount\" + ")
                sql.bind(checked.failed)
                sql.append(", \"errors\" = (SELECT COALESCE(jsonb_agg(e ORDER BY (e->>'row')::int), '[]') FROM (SELECT e FROM jsonb_array_elements(\"errors\" || ")
                sql.bind(String(decoding: try JSONEncoder().encode(checked.errors), as: UTF8.self))
                sql.append("::jsonb) e ORDER BY (e->>'row')::int LIMIT \(CSVImporter.maximumReportedErrors)) x), ")
                appendLeaseEnd(to: &sql)
                sql.append(" WHERE \"id\" = ")
                sql.bind(claim.id.lowercased)
                sql.append("::uuid RETURNING \"failedCount\"::text")
                for try await text in try await connection.query(sql.query, logger: logger).decode(String.self) { return Int(text) ?? 0 }
                return 0
            }
            if claim.atomic, refused > 0 {
                try await finish(claim.id, status: "FAILED", message: "\(refused) rows are invalid; with atomic=true nothing was imported", logger: logger)
                return
            }
        }
        // The table's column defaults, read once for every range.
        let defaults = try await database.withConnection(logger: logger) { connection in
            try await plan.columnDefaults(on: connection, logger: logger)
        }
        var done = claim.rowsDone
        while done < claim.rowCount {
            let range = (done + 1)...min(done + rangeSize, claim.rowCount)
            let proceeded = try await database.withTransaction(logger: logger) { connection in
                var lock = SQLBuilder()
                lock.append("SELECT \"status\" FROM core.\"csvImport\" WHERE \"id\" = ")
                lock.bind(claim.id.lowercased)
                lock.append("::uuid FOR UPDATE")
                var status = ""
                for try await text in try await connection.query(lock.query, logger: logger).decode(String.self) { status = text }
                guard status == "RUNNING" else { return false }
                let (created, updated) = try await CSVImporter.write(plan, range, from: table, defaults: defaults, events: events, on: connection, logger: logger)
                var sql = SQLBuilder()
                sql.append("UPDATE core.\"csvImport\" SET \"rowsDone\" = ")
                sql.bind(range.upperBound)
                sql.append(", \"createdCount\" = \"createdCount\" + ")
                sql.bind(created)
                sql.append(", \"updatedCount\" = \"updatedCount\" + ")
                sql.bind(updated)
                sql.append(", ")
                appendLeaseEnd(to: &sql)
                sql.append(" WHERE \"id\" = ")
                sql.bind(claim.id.lowercased)
                sql.append("::uuid")
                try await connection.query(sql.query, logger: logger)
                return true
            }
            guard proceeded else {
                try await dropStaging(claim.id, logger: logger)
                logger.info("CSV import cancelled", metadata: ["rowsDone": "\(done)"])
                return
            }
            done = range.upperBound
        }
        try await finish(claim.id, status: "COMPLETED", message: nil, logger: logger)
    }

    /// `"leaseUntil" = now() + <lease>`: the claim renewed.
    private func appendLeaseEnd(to sql: inout SQLBuilder) {
        sql.append("\"leaseUntil\" = now() + ")
        sql.bind("\(lease.components.seconds) seconds")
        sql.append("::interval")
    }

    /// Ends an import with `status` and drops its staged rows.
    private func finish(_ id: UUID, status: String, message: String?, logger: Logger) async throws {
        try await database.withTransaction(logger: logger) { connection in
            var sql = SQLBuilder()
            sql.append("UPDATE core.\"csvImport\" SET \"status\" = ")
            sql.bind(status)
            sql.append(", \"message\" = ")
            sql.bind(message)
            sql.append(", \"finishedAt\" = now(), \"leaseUntil\" = NULL WHERE \"id\" = ")
            sql.bind(id.lowercased)
            sql.append("::uuid AND \"status\" = 'RUNNING'")
            try await connection.query(sql.query, logger: logger)
            try await connection.query(SQLBuilder("DROP TABLE IF EXISTS \(CSVImporter.stagingTable(id))").query, logger: logger)
        }
    }

    private func dropStaging(_ id: UUID, logger: Logger) async throws {
        try await database.withTransaction(logger: logger) { connection in
            try await connection.query(SQLBuilder("DROP TABLE IF EXISTS \(CSVImporter.stagingTable(id))").query, logger: logger)
        }
    }
}
