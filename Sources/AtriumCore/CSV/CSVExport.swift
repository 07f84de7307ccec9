import Foundation
import Logging
import NIOCore
import PostgresNIO

/// A CSV export of an object's records: Twenty's columns (``CSVColumn``) and cells, streamed as PostgreSQL writes them.
///
/// One query, read through a cursor in pages of ``pageSize`` rows: PostgreSQL renders each record as one CSV line
/// (`core.atrium_csv_cell`, `core.atrium_csv_text`), so memory stays flat whatever the row count, and a consumer that
/// stops (a client that disconnects) ends the transaction and with it the query.
///
/// Cells are Twenty's (`formatRecordExportRow`): amounts in units (micros ÷ 1,000,000), dates `YYYY-MM-DD`, date-times
/// ISO 8601 in UTC with milliseconds, lists and JSON as JSON, booleans `true`/`false`, text guarded against CSV
/// injection.
///
/// ```swift
/// let export = try CSVExport(filter: filter, order: order, fields: nil, in: scope)
/// try await export.stream(on: database) { chunk in try await writer.write(chunk) }
/// ```
public struct CSVExport: Sendable {
    /// The rows read per `FETCH`.
    public static let pageSize = 5_000
    /// The bytes gathered before they are handed on.
    static let chunkSize = 128 * 1024

    public let columns: [CSVColumn]
    /// The cursor's query: one text column, a record's CSV line without its line end.
    let query: PostgresQuery
    let logger: Logger

    /// Checks the caller may export (`EXPORT_CSV` and read) and builds the query.
    /// - Parameters:
    ///   - fields: The fields to write, in order (a view's visible fields); nil: every active non-system field.
    public init(filter: RecordFilter?, order: [OrderTerm], fields: [WorkspaceSchema.Field]?, in scope: RecordScope) throws {
        try scope.access.require(.exportCSV)
        let reads = try RecordReadStatements(scope)
        try reads.policy.require(.read)
        try reads.requireReadable(order.map(\.path.field))
        columns = CSVColumn.columns(of: scope.object, fields: fields, policy: reads.policy)
        var sql = SQLBuilder()
        sql.append("SELECT ")
        for (index, column) in columns.enumerated() {
            if index > 0 { sql.append(" || ',' || ") }
            sql.append(try Self.cell(column, alias: "p"))
        }
        sql.append(" FROM \(reads.schema).\(reads.table) p WHERE ")
        try reads.appendMatching(filter, alias: "p", to: &sql)
        sql.append(" ORDER BY \(try RecordOrdering(order, object: scope.object).sql(alias: "p"))")
        query = sql.query
        logger = scope.logger
    }

    /// The header line, with its line end.
    public var header: String {
        columns.map { Self.quoted($0.label) }.joined(separator: ",") + "\n"
    }

    /// Streams the header then every record's line to `write`, in chunks of about ``chunkSize`` bytes, from one
    /// transaction. When `write` throws, the transaction is rolled back (closing the cursor) and the error rethrown.
    /// - Returns: The number of records written.
    @discardableResult
    public func stream(on database: Database, _ write: @escaping @Sendable (ByteBuffer) async throws -> Void) async throws -> Int {
        let (query, header, logger) = (query, header, logger)
        return try await database.withTransaction(logger: logger) { connection in
            var declare = query
            declare.sql = "DECLARE atrium_export NO SCROLL CURSOR FOR " + query.sql
            try await connection.query(declare, logger: logger)
            var chunk = ByteBuffer(string: header)
            var total = 0
            while true {
                var fetched = 0
                for try await row in try await connection.query("FETCH \(unescaped: String(Self.pageSize)) FROM atrium_export", logger: logger) {
                    var line = try row.decode(ByteBuffer.self)
                    chunk.writeBuffer(&line)
                    chunk.writeInteger(UInt8(ascii: "\n"))
                    fetched += 1
                    if chunk.readableBytes >= Self.chunkSize {
                        try await write(chunk)
                        chunk = ByteBuffer()
                        chunk.reserveCapacity(Self.chunkSize + 4096)
                    }
                }
                total += fetched
                if fetched < Self.pageSize { break }
            }
            if chunk.readableBytes > 0 { try await write(chunk) }
            return total
        }
    }

    /// The SQL of one cell of `column` for the row `alias`: the value as Twenty's export writes it, quoted when needed.
    static func cell(_ column: CSVColumn, alias: String) throws -> String {
        let reference = "\(alias).\(try SQLIdentifier(column.column.name))"
        if case .property("amountMicros", _) = column.content, column.fieldType == .currency {
            return "core.atrium_csv_cell(trim_scale(\(reference) / 1000000)::text)"
        }
        switch column.column.type {
        case .text:
            return "core.atrium_csv_text(\(reference))"
        case .enumeration:
            return "core.atrium_csv_text(\(reference)::text)"
        case .numeric:
            return "core.atrium_csv_cell(trim_scale(\(reference))::text)"
        case .timestamptz:
            return "core.atrium_csv_cell(to_char(\(reference) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))"
        case .date:
            return "core.atrium_csv_cell(to_char(\(reference), 'YYYY-MM-DD'))"
        case .textArray, .enumerationArray:
            return "core.atrium_csv_cell(to_json(\(reference))::text)"
        case .uuid, .float, .boolean, .jsonb, .tsvector:
            return "core.atrium_csv_cell(\(reference)::text)"
        }
    }

    /// `text` as one CSV cell (RFC 4180 quoting), as `core.atrium_csv_cell` writes it.
    static func quoted(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
