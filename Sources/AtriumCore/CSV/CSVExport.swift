import Foundation
import Logging
import NIOCore
import PostgresNIO

/// A CSV export of an object's records: Twenty's columns (``CSVColumn``) and cells, streamed as they are read.
///
/// One query, read through a cursor in pages of ``pageSize`` rows in one transaction: PostgreSQL renders each cell's
/// text (amounts in units, dates, date-times, JSON), and the server writes the CSV around it (``CSVCellWriter``:
/// quoting, the injection guard) into chunks handed on one at a time. So memory stays flat whatever the row count, and
/// a consumer that stops (a client that disconnects) ends the transaction and with it the query.
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
    /// The cursor's query: one text value per column.
    let query: PostgresQuery
    /// Per column: whether its text gets the injection guard (text values; numbers, dates and JSON never do).
    let guarded: [Bool]
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
        guarded = columns.map { $0.column.type == .text || $0.column.type == .enumeration }
        var sql = SQLBuilder()
        sql.append("SELECT ")
        sql.append(try columns.map { try Self.text(of: $0, alias: "p") }.joined(separator: ", "))
        sql.append(" FROM \(reads.schema).\(reads.table) p WHERE ")
        try reads.appendMatching(filter, alias: "p", to: &sql)
        sql.append(" ORDER BY \(try RecordOrdering(order, object: scope.object).sql(alias: "p"))")
        query = sql.query
        logger = scope.logger
    }

    /// The header line, with its line end.
    public var header: String {
        var line = ByteBuffer()
        for (index, column) in columns.enumerated() {
            if index > 0 { line.writeInteger(UInt8(ascii: ",")) }
            Array(column.label.utf8).withUnsafeBytes { CSVCellWriter.append($0, guarded: false, to: &line) }
        }
        line.writeInteger(UInt8(ascii: "\n"))
        return String(buffer: line)
    }

    /// Streams the header then every record's line to `write`, in chunks of about ``chunkSize`` bytes, from one
    /// transaction. Reading a page and writing the one before overlap: one task fetches pages while another turns the
    /// previous page into CSV and hands it to `write`. When `write` throws, the reading stops, the transaction is rolled
    /// back (closing the cursor) and the error rethrown.
    /// - Returns: The number of records written.
    @discardableResult
    public func stream(on database: Database, _ write: @escaping @Sendable (ByteBuffer) async throws -> Void) async throws -> Int {
        let (query, header, guarded, logger) = (query, header, guarded, logger)
        let pages = AsyncThrowingStream<[PostgresRow], any Error>.makeStream(bufferingPolicy: .bufferingOldest(1))
        return try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                var total = 0
                var chunk = ByteBuffer(string: header)
                for try await rows in pages.stream {
                    for row in rows {
                        Self.appendLine(row, guarded: guarded, to: &chunk)
                        if chunk.readableBytes >= Self.chunkSize {
                            try await write(chunk)
                            chunk = ByteBuffer()
                            chunk.reserveCapacity(Self.chunkSize + 4096)
                        }
                    }
                    total += rows.count
                }
                if chunk.readableBytes > 0 { try await write(chunk) }
                return total
            }
            group.addTask {
                do {
                    try await database.withTransaction(logger: logger) { connection in
                        var declare = query
                        declare.sql = "DECLARE atrium_export NO SCROLL CURSOR FOR " + query.sql
                        try await connection.query(declare, logger: logger)
                        while true {
                            var rows: [PostgresRow] = []
                            rows.reserveCapacity(Self.pageSize)
                            for try await row in try await connection.query(SQLBuilder("FETCH \(Self.pageSize) FROM atrium_export").query, logger: logger) {
                                rows.append(row)
                            }
                            // Waits while the writer still holds a page: at most two pages are in memory.
                            while case .dropped = pages.continuation.yield(rows) {
                                try await Task.sleep(for: .milliseconds(1))
                            }
                            if rows.count < Self.pageSize { break }
                        }
                    }
                    pages.continuation.finish()
                } catch {
                    pages.continuation.finish(throwing: error)
                    throw error
                }
                return nil
            }
            // The writer failing (a client gone) cancels the reader, whose transaction is then rolled back.
            var total = 0
            do {
                while let result = try await group.next() {
                    if let result { total = result }
                }
            } catch {
                group.cancelAll()
                throw error
            }
            return total
        }
    }

    /// Appends one record's CSV line: its cells (a NULL is empty) and a line end.
    static func appendLine(_ row: PostgresRow, guarded: [Bool], to chunk: inout ByteBuffer) {
        var index = 0
        for cell in row {
            if index > 0 { chunk.writeInteger(UInt8(ascii: ",")) }
            if let bytes = cell.bytes {
                bytes.withUnsafeReadableBytes { CSVCellWriter.append($0, guarded: guarded[index], to: &chunk) }
            }
            index += 1
        }
        chunk.writeInteger(UInt8(ascii: "\n"))
    }

    /// The SQL of one cell's text for the row `alias`: the value as Twenty's export writes it (NULL: an empty cell).
    static func text(of column: CSVColumn, alias: String) throws -> String {
        let reference = "\(alias).\(try SQLIdentifier(column.column.name))"
        if case .property("amountMicros", _) = column.content, column.fieldType == .currency {
            return "trim_scale(\(reference) / 1000000)::text"
        }
        switch column.column.type {
        case .text:
            return reference
        case .numeric:
            return "trim_scale(\(reference))::text"
        case .timestamptz:
            return "to_char(\(reference) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        case .date:
            return "to_char(\(reference), 'YYYY-MM-DD')"
        case .textArray, .enumerationArray:
            return "to_json(\(reference))::text"
        case .uuid, .float, .boolean, .jsonb, .tsvector, .enumeration:
            return "\(reference)::text"
        }
    }
}

/// Writes one CSV cell (RFC 4180): quoted, its double quotes doubled, when it holds a comma, a double quote, CR or LF;
/// with `guarded`, a value starting with `=`, `+`, `-`, `@`, tab or CR gets a leading zero-width joiner (U+200D), as
/// Twenty's export writes it, so spreadsheets do not read it as a formula.
enum CSVCellWriter {
    static func append(_ bytes: UnsafeRawBufferPointer, guarded: Bool, to buffer: inout ByteBuffer) {
        var needsQuotes = false
        for byte in bytes where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            needsQuotes = true
            break
        }
        if needsQuotes { buffer.writeInteger(UInt8(ascii: "\"")) }
        if guarded, let first = bytes.first, first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == UInt8(ascii: "\t") || first == UInt8(ascii: "\r")
        {
            buffer.writeInteger(UInt8(0xE2))  // U+200D in UTF-8
            buffer.writeInteger(UInt8(0x80))
            buffer.writeInteger(UInt8(0x8D))
        }
        guard needsQuotes else {
            buffer.writeBytes(bytes)
            return
        }
        var start = 0
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\"") {
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start...offset]))  // through the quote, then the quote again
            start = offset
        }
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start...]))
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}
