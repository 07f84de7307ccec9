import Foundation

/// How an import asks to run.
public struct CSVImportOptions: Sendable {
    /// Check every row and report, writing nothing.
    public var dryRun = false
    /// Write nothing when any row is refused.
    public var atomic = false
    /// Update the record a row matches (by `id` or a unique field) instead of refusing the row.
    public var upsert = true
    /// File header → field name or label (nil: skip the column).
    public var mapping: [String: String?] = [:]

    public init(dryRun: Bool = false, atomic: Bool = false, upsert: Bool = true, mapping: [String: String?] = [:]) {
        self.dryRun = dryRun
        self.atomic = atomic
        self.upsert = upsert
        self.mapping = mapping
    }
}

/// Why one file row was refused.
public struct CSVImportRowError: Sendable, Codable, Equatable {
    /// The row's number among the data rows (the first after the header is 1).
    public var row: Int
    /// The file line the row starts on (the header is line 1).
    public var line: Int
    /// The column's header.
    public var column: String?
    public var value: String?
    public var message: String
}

/// What an import did, or is doing: the answer to the import request and to reading a queued import.
public struct CSVImportReport: Sendable, Codable {
    /// A queued import's id.
    public var id: String?
    /// `COMPLETED`, `VALIDATED` (dry run), `FAILED` (atomic with refused rows, or an error), `QUEUED`, `RUNNING`,
    /// `CANCELLED`.
    public var status: String
    public var dryRun: Bool
    public var atomic: Bool
    public var rowCount: Int
    /// Rows written or refused so far (a queued import's progress).
    public var rowsDone: Int
    /// Records created and updated (for a dry run: that would be).
    public var createdCount: Int
    public var updatedCount: Int
    public var failedCount: Int
    /// The first ``CSVImporter/maximumReportedErrors`` refused rows.
    public var errors: [CSVImportRowError]
    /// File columns not imported (read-only, or mapped to null).
    public var skippedColumns: [String]
    /// Why a failed import stopped.
    public var message: String?

    /// The report as JSON.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}
