import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Imports a CSV file into an object's records, on the server: reads and checks the file (``CSVReader``), maps its
/// columns (``CSVImportMapping``), converts every cell, bulk-loads the valid rows with `COPY` into a staging table,
/// checks them against the database in a few set-based statements (``CSVImportPlan/checks(_:)``), then writes them
/// with one `INSERT … SELECT` and one `UPDATE … FROM` per range of rows, each with its events.
///
/// Up to ``syncRowLimit`` rows are imported in the request, in one transaction. A larger file is staged in the
/// request and queued (``CSVImportJobs``): a worker writes it in ranges of ``CSVImportJobs/rangeSize`` rows.
public struct CSVImporter: Sendable {
    public let database: Database
    /// Whether writes record their events (`EVENTS_ENABLED`).
    let recordsEvents: Bool
    /// The most rows imported in the request; more are queued.
    public var syncRowLimit = 10_000
    /// The most refused rows a report lists.
    public static let maximumReportedErrors = 1_000

    public init(database: Database, recordsEvents: Bool) {
        self.database = database
        self.recordsEvents = recordsEvents
    }

    /// Imports `bytes` (a CSV file) into `scope`'s object.
    /// - Throws: 403 without the `IMPORT_CSV` flag or the right to create (and, upserting, update) records; 400 for a
    ///   file that cannot be read (naming its line) or a column that names nothing.
    public func run(_ bytes: [UInt8], options: CSVImportOptions, in scope: RecordScope) async throws -> CSVImportReport {
        try scope.access.require(.importCSV)
        let policy = try scope.access.policy(for: scope.object, in: scope.workspace)
        try policy.require(.update)  // creating records needs the update permission, as in Twenty
        var reader = try Self.reader(bytes)
        let mapping = try CSVImportMapping(header: reader.header, object: scope.object, mapping: options.mapping, policy: policy)
        let plan = try CSVImportPlan(mapping: mapping, upsert: options.upsert, in: scope)
        var counting = reader
        var rowCount = 0
        do {
            while try counting.nextRow() != nil { rowCount += 1 }
        } catch {
            throw AtriumError(.badRequest, error.message)
        }
        var report = CSVImportReport(status: options.dryRun ? "VALIDATED" : "COMPLETED", dryRun: options.dryRun, atomic: options.atomic,
                                     rowCount: rowCount, rowsDone: 0, createdCount: 0, updatedCount: 0, failedCount: 0, errors: [],
                                     skippedColumns: mapping.skipped)
        guard rowCount > 0 else { return report }
        let id = UUID()
        let table = Self.stagingTable(id)
        let queued = rowCount > syncRowLimit && !options.dryRun
        let events = recordsEvents && RecordEventStatement.records(scope.object) ? RecordEventStatement(scope) : nil
        let logger = scope.logger
        let readerCopy = reader
        let rows = rowCount
        do {
            report = try await database.withTransaction(logger: logger) { [report] connection in
                var report = report
                var reader = readerCopy
                try await connection.query(SQLBuilder(plan.createStaging(table)).query, logger: logger)
                let converted = try await Self.stage(&reader, plan: plan, into: Self.copyTarget(id), on: connection, logger: logger)
                report.failedCount = converted.failed
                report.errors = converted.errors
                if queued {
                    try await CSVImportJobs.insert(id: id, options: options, header: readerCopy.header, rowCount: rows, report: report,
                                                   in: scope, on: connection)
                    report.id = id.lowercased
                    report.status = "QUEUED"
                    return report
                }
                let checked = try await Self.check(plan, table: table, on: connection, logger: logger)
                report.failedCount += checked.failed
                report.errors = Array((report.errors + checked.errors).sorted { $0.row < $1.row }.prefix(Self.maximumReportedErrors))
                if options.dryRun || (options.atomic && report.failedCount > 0) {
                    let (creates, updates) = try await Self.pending(table, on: connection, logger: logger)
                    if options.dryRun { (report.createdCount, report.updatedCount) = (creates, updates) }
                    if !options.dryRun { report.status = "FAILED" }
                    report.rowsDone = rows
                    try await connection.query(SQLBuilder("DROP TABLE \(table)").query, logger: logger)
                    return report
                }
                let defaults = try await plan.columnDefaults(on: connection, logger: logger)
                let written = try await Self.write(plan, 1...rows, from: table, defaults: defaults, events: events, on: connection, logger: logger)
                (report.createdCount, report.updatedCount) = written
                report.rowsDone = rows
                try await connection.query(SQLBuilder("DROP TABLE \(table)").query, logger: logger)
                return report
            }
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError as? AtriumError { throw closure }
            throw AtriumError.fromRecordStatement(error.closureError ?? error, object: scope.object)
        }
        return report
    }

    /// The reader of `bytes`, or a 400 naming what is wrong with the file.
    static func reader(_ bytes: [UInt8]) throws -> CSVReader {
        do {
            return try CSVReader(bytes: bytes)
        } catch {
            throw AtriumError(.badRequest, error.message)
        }
    }

    /// `csv_import."<id>"`.
    static func stagingTable(_ id: UUID) -> String {
        "csv_import.\"\(id.lowercased)\""
    }

    /// The staging table as postgres-nio's `copyFrom(table:)` wants it: it writes `COPY "<table>"`, so the schema and
    /// the table name (a UUID) are joined by `"."` inside its quotes.
    static func copyTarget(_ id: UUID) -> String {
        "csv_import\".\"\(id.lowercased)"
    }

    /// Converts every row and copies the valid ones into the staging table (``copyTarget(_:)``); the rows refused and
    /// the first errors.
    static func stage(
        _ reader: inout CSVReader, plan: CSVImportPlan, into table: String, on connection: PostgresConnection, logger: Logger
    ) async throws -> (failed: Int, errors: [CSVImportRowError]) {
        var failed = 0
        var errors: [CSVImportRowError] = []
        var number = 0
        try await connection.copyFrom(table: table, columns: plan.copyColumns, logger: logger) { writer in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(1 << 18)
            while let row = try reader.nextRow() {
                number += 1
                let (values, problems) = plan.convert(row.cells)
                if problems.isEmpty {
                    CSVImportPlan.appendCopyLine(number, line: row.line, values: values, to: &buffer)
                    if buffer.readableBytes >= 1 << 18 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                    continue
                }
                failed += 1
                for problem in problems where errors.count < maximumReportedErrors {
                    errors.append(CSVImportRowError(row: number, line: row.line, column: problem.column, value: problem.value, message: problem.message))
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
        return (failed, errors)
    }

    /// Runs the plan's checks on the staged rows; the rows they refused and the first of them.
    static func check(_ plan: CSVImportPlan, table: String, on connection: PostgresConnection, logger: Logger) async throws -> (failed: Int, errors: [CSVImportRowError]) {
        for statement in try plan.checks(table) {
            try await connection.query(statement.query, logger: logger)
        }
        var failed = 0
        for try await count in try await connection.query(SQLBuilder("SELECT count(*)::int FROM \(table) WHERE \"_error\" IS NOT NULL").query, logger: logger)
            .decode(Int.self) { failed = count }
        var errors: [CSVImportRowError] = []
        let sql = "SELECT \"n\", \"line\", \"_column\", \"_value\", \"_error\" FROM \(table) WHERE \"_error\" IS NOT NULL ORDER BY \"n\" LIMIT \(maximumReportedErrors)"
        for try await (row, line, column, value, message) in try await connection.query(SQLBuilder(sql).query, logger: logger)
            .decode((Int, Int, String?, String?, String).self)
        {
            errors.append(CSVImportRowError(row: row, line: line, column: column, value: value, message: message))
        }
        return (failed, errors)
    }

    /// How many staged rows would create and update records.
    static func pending(_ table: String, on connection: PostgresConnection, logger: Logger) async throws -> (creates: Int, updates: Int) {
        let sql = "SELECT count(*) FILTER (WHERE \"_target\" IS NULL)::int, count(*) FILTER (WHERE \"_target\" IS NOT NULL)::int FROM \(table) WHERE \"_error\" IS NULL"
        for try await counts in try await connection.query(SQLBuilder(sql).query, logger: logger).decode((Int, Int).self) { return counts }
        return (0, 0)
    }

    /// Writes the staged rows `range`: inserts (taking `defaults`, ``CSVImportPlan/columnDefaults(on:logger:)``, for
    /// empty cells) and updates; how many of each.
    static func write(
        _ plan: CSVImportPlan, _ range: ClosedRange<Int>, from table: String, defaults: [String: String], events: RecordEventStatement?,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> (created: Int, updated: Int) {
        func count(_ sql: SQLBuilder) async throws -> Int {
            for try await text in try await connection.query(sql.query, logger: logger).decode(String.self) { return Int(text) ?? 0 }
            return 0
        }
        let created = try await count(try plan.insert(range, from: table, defaults: defaults, events: events))
        let updated = plan.upsert ? try await count(try plan.update(range, from: table, events: events)) : 0
        return (created, updated)
    }
}
