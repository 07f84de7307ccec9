import Foundation
import NIOCore

/// How an import stages its rows and writes them: the staging table's columns, and the statements that check rows
/// against the database (relations, duplicates, matches) and write them in ranges of rows.
///
/// The staging table (`csv_import."<import id>"`, unlogged) holds one row per valid file row: `n` (its number among the
/// data rows), `line`, one text column per written column (`c0`…, as ``CSVCellConverter`` made it), one per relation
/// given by a unique field of its target (`l0`…, resolved into `k0`…), and what the checks find: `_target` (the record
/// an upsert updates) and `_error`, `_column`, `_value` (why the row is refused).
struct CSVImportPlan {
    /// A written column fed by a file column.
    struct Staged {
        let name: String
        let csv: CSVColumn
        /// The file column, by index.
        let source: Int
        let converter: CSVCellConverter
    }

    /// A relation given by a unique field of its target.
    struct Lookup {
        /// The staged key text (`l0`) and the resolved id (`k0`).
        let name: String, resolved: String
        let foreignKey: RecordColumn
        let key: RecordColumn
        let target: WorkspaceSchema.Object
        let label: String
        let source: Int
    }

    let scope: RecordScope
    let mapping: CSVImportMapping
    let staged: [Staged]
    let lookups: [Lookup]
    let reads: RecordReadStatements
    let upsert: Bool

    init(mapping: CSVImportMapping, upsert: Bool, in scope: RecordScope) throws {
        self.scope = scope
        self.mapping = mapping
        self.upsert = upsert
        reads = try RecordReadStatements(scope)
        var staged: [Staged] = []
        var lookups: [Lookup] = []
        for (index, target) in mapping.targets.enumerated() {
            switch target {
            case .skipped:
                continue
            case .column(let column):
                staged.append(Staged(name: "c\(staged.count)", csv: column, source: index, converter: CSVCellConverter(column)))
            case .lookup(let field, let key, let target, let label):
                guard case .foreignKey(let foreignKey, _) = field.storage else { continue }
                lookups.append(Lookup(name: "l\(lookups.count)", resolved: "k\(lookups.count)", foreignKey: foreignKey, key: key,
                                      target: target, label: label, source: index))
            }
        }
        self.staged = staged
        self.lookups = lookups
    }

    var object: WorkspaceSchema.Object { scope.object }

    // MARK: - Staging

    /// The columns `COPY` fills, in the order ``appendCopyLine(_:line:cells:to:)`` writes them.
    var copyColumns: [String] { ["n", "line"] + staged.map(\.name) + lookups.map(\.name) }

    /// `CREATE UNLOGGED TABLE` of the staging table.
    func createStaging(_ table: String) -> String {
        var columns = ["\"n\" integer PRIMARY KEY", "\"line\" integer NOT NULL"]
        columns += staged.map { "\"\($0.name)\" text" }
        columns += lookups.flatMap { ["\"\($0.name)\" text", "\"\($0.resolved)\" text"] }
        columns += ["\"_target\" uuid", "\"_error\" text", "\"_column\" text", "\"_value\" text"]
        return "CREATE UNLOGGED TABLE \(table) (\(columns.joined(separator: ", ")))"
    }

    /// Converts one file row; the staged values (nil: empty cell) or every cell's problem.
    func convert(_ cells: [String]) -> (values: [String?], problems: [(column: String, value: String, message: String)]) {
        var values: [String?] = []
        values.reserveCapacity(staged.count + lookups.count)
        var problems: [(String, String, String)] = []
        for column in staged {
            do {
                values.append(try column.converter.convert(cells[column.source]))
            } catch {
                problems.append((column.csv.label, cells[column.source], error.message))
                values.append(nil)
            }
        }
        for lookup in lookups {
            let text = CSVReader.removingInjectionGuard(cells[lookup.source]).trimmingCharacters(in: .whitespaces)
            values.append(text.isEmpty ? nil : text)
        }
        return (values, problems)
    }

    /// One row of `COPY … FROM STDIN` text format: tab-separated, `\N` for NULL, backslash escapes.
    static func appendCopyLine(_ number: Int, line: Int, values: [String?], to buffer: inout ByteBuffer) {
        buffer.writeString(String(number))
        buffer.writeInteger(UInt8(ascii: "\t"))
        buffer.writeString(String(line))
        for value in values {
            buffer.writeInteger(UInt8(ascii: "\t"))
            guard let value else {
                buffer.writeStaticString("\\N")
                continue
            }
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    // MARK: - Checks

    /// The statements that check staged rows against the database and each other, setting `_error` on refused rows and
    /// `_target` on rows an upsert updates. Run in order, after staging.
    func checks(_ table: String) throws -> [SQLBuilder] {
        var statements: [SQLBuilder] = []
        let records = "\(reads.schema).\(reads.table)"
        func refuse(_ message: String, column: String, value: String, where condition: String, from: String? = nil, messageSuffix: String? = nil) {
            var sql = SQLBuilder()
            sql.append("UPDATE \(table) s SET \"_error\" = ")
            sql.bind(message)
            if let messageSuffix { sql.append(" || \(messageSuffix)") }
            sql.append(", \"_column\" = ")
            sql.bind(column)
            sql.append(", \"_value\" = \(value)")
            if let from { sql.append(" FROM \(from)") }
            sql.append(" WHERE s.\"_error\" IS NULL AND \(condition)")
            statements.append(sql)
        }
        // Relations by id: the related record must exist.
        for column in staged {
            guard case .foreignKey(_, let target) = column.csv.content else { continue }
            let targetTable = "\(reads.schema).\(try SQLIdentifier(target.targetTableName))"
            refuse("No \(target.labelSingular.lowercased()) has this id", column: column.csv.label, value: "s.\"\(column.name)\"",
                   where: "s.\"\(column.name)\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \(targetTable) t WHERE t.\"id\" = s.\"\(column.name)\"::uuid)")
        }
        // Relations by a unique field of the target.
        for lookup in lookups {
            let targetTable = "\(reads.schema).\(try SQLIdentifier(lookup.target.targetTableName))"
            var resolve = SQLBuilder()
            resolve.append("UPDATE \(table) s SET \"\(lookup.resolved)\" = t.\"id\"::text FROM \(targetTable) t WHERE s.\"_error\" IS NULL ")
            resolve.append("AND s.\"\(lookup.name)\" IS NOT NULL AND t.\(try SQLIdentifier(lookup.key.name))::text = s.\"\(lookup.name)\" AND t.\"deletedAt\" IS NULL")
            statements.append(resolve)
            refuse("No \(lookup.target.labelSingular.lowercased()) matches this value", column: lookup.label, value: "s.\"\(lookup.name)\"",
                   where: "s.\"\(lookup.name)\" IS NOT NULL AND s.\"\(lookup.resolved)\" IS NULL")
        }
        // The same key twice in the file: the later rows are refused.
        for key in keys {
            refuse("Same \(key.label) as row ", column: key.label, value: "s.\"\(key.staged)\"",
                   where: "s.\"n\" = d.\"n\" AND d.\"first\" <> d.\"n\"",
                   from: "(SELECT \"n\", first_value(\"n\") OVER (PARTITION BY \"\(key.staged)\" ORDER BY \"n\") AS \"first\" FROM \(table) "
                       + "WHERE \"_error\" IS NULL AND \"\(key.staged)\" IS NOT NULL) d",
                   messageSuffix: "d.\"first\"")
        }
        for key in keys {
            let matches = "r.\(try SQLIdentifier(key.column.name))\(key.column.name == "id" ? "" : "::text") = s.\"\(key.staged)\""
                + (key.column.name == "id" ? "::uuid" : " AND r.\"deletedAt\" IS NULL")
            if upsert {
                var match = SQLBuilder()
                match.append("UPDATE \(table) s SET \"_target\" = r.\"id\" FROM \(records) r WHERE s.\"_error\" IS NULL AND s.\"_target\" IS NULL ")
                match.append("AND s.\"\(key.staged)\" IS NOT NULL AND \(matches)")
                statements.append(match)
            } else {
                refuse("A \(object.labelSingular.lowercased()) with this \(key.label) already exists", column: key.label, value: "s.\"\(key.staged)\"",
                       where: "s.\"\(key.staged)\" IS NOT NULL AND \(matches)", from: "\(records) r")
            }
        }
        if upsert {
            // A row matching one record by a key and another by a second key cannot be written.
            for key in keys where key.column.name != "id" {
                refuse("Its \(key.label) belongs to another \(object.labelSingular.lowercased())", column: key.label, value: "s.\"\(key.staged)\"",
                       where: "s.\"_target\" IS NOT NULL AND s.\"\(key.staged)\" IS NOT NULL AND r.\(try SQLIdentifier(key.column.name))::text = s.\"\(key.staged)\" "
                           + "AND r.\"deletedAt\" IS NULL AND r.\"id\" <> s.\"_target\"",
                       from: "\(records) r")
            }
            refuse("Updates the same \(object.labelSingular.lowercased()) as row ", column: "Id", value: "s.\"_target\"::text",
                   where: "s.\"n\" = d.\"n\" AND d.\"first\" <> d.\"n\"",
                   from: "(SELECT \"n\", first_value(\"n\") OVER (PARTITION BY \"_target\" ORDER BY \"n\") AS \"first\" FROM \(table) "
                       + "WHERE \"_error\" IS NULL AND \"_target\" IS NOT NULL) d",
                   messageSuffix: "d.\"first\"")
        }
        return statements
    }

    /// The keys rows are matched on: `id` and the object's unique fields, when the file gives them.
    var keys: [(staged: String, column: RecordColumn, label: String)] {
        staged.compactMap { column in
            if case .id = column.csv.content { return (column.name, column.csv.column, "Id") }
            guard let field = column.csv.field, field.isUnique, let key = CSVImportMapping.Resolver.keyColumn(field),
                  key.name == column.csv.column.name else { return nil }
            return (column.name, key, column.csv.label)
        }
    }
}
