import Foundation
import Logging
import PostgresNIO

extension CSVImportPlan {
    /// The table's column defaults (`column` → SQL expression), which an `INSERT … SELECT` must spell out for the rows
    /// whose cell is empty.
    func columnDefaults(on connection: PostgresConnection, logger: Logger) async throws -> [String: String] {
        var sql = SQLBuilder()
        sql.append("SELECT a.\"attname\"::text, pg_get_expr(d.\"adbin\", d.\"adrelid\") FROM pg_attribute a JOIN pg_attrdef d ")
        sql.append("ON d.\"adrelid\" = a.\"attrelid\" AND d.\"adnum\" = a.\"attnum\" WHERE a.\"attrelid\" = format('%I.%I', ")
        sql.bind(scope.workspace.databaseSchema)
        sql.append("::text, ")
        sql.bind(object.targetTableName)
        sql.append("::text)::regclass")
        var defaults: [String: String] = [:]
        for try await (name, expression) in try await connection.query(sql.query, logger: logger).decode((String, String).self) {
            defaults[name] = expression
        }
        return defaults
    }

    /// Inserts the staged rows `range` that match no record, with their events; returns how many.
    func insert(_ range: ClosedRange<Int>, from table: String, defaults: [String: String], events: RecordEventStatement?) throws -> SQLBuilder {
        var columns: [String] = []
        var values: [String] = []
        var sql = SQLBuilder()
        for column in staged {
            let name = column.csv.column.name
            columns.append(try SQLIdentifier(name).quoted)
            let value = "s.\"\(column.name)\"::\(try column.csv.column.sqlType(schema: reads.schema))"
            values.append(defaults[name].map { "COALESCE(\(value), \($0))" } ?? value)
        }
        for lookup in lookups {
            columns.append(try SQLIdentifier(lookup.foreignKey.name).quoted)
            values.append("s.\"\(lookup.resolved)\"::uuid")
        }
        for (column, expression) in try actorColumns(["createdBy", "updatedBy"], excluding: Set(columns), into: &sql) {
            columns.append(column)
            values.append(expression)
        }
        if let position = object.field(named: "position"), position.isActive, !columns.contains("\"position\"") {
            columns.append("\"position\"")
            values.append("extract(epoch from clock_timestamp())")
        }
        sql.append("WITH p AS (INSERT INTO \(reads.schema).\(reads.table) AS a (\(columns.joined(separator: ", "))) SELECT ")
        sql.append(values.joined(separator: ", "))
        sql.append(" FROM \(table) s WHERE ")
        appendRange(range, to: &sql)
        sql.append(" AND s.\"_target\" IS NULL ORDER BY s.\"n\" RETURNING a.*")
        try reads.appendRowLevelCheck(returning: "a", to: &sql)
        sql.append(")")
        try events?.append(.created, changed: "p", to: &sql)
        sql.append(" SELECT count(*)::text FROM p")
        return sql
    }

    /// Updates the records the staged rows `range` matched (their empty cells keep the record's values; a soft-deleted
    /// record matched by id is restored), with their events; returns how many.
    func update(_ range: ClosedRange<Int>, from table: String, events: RecordEventStatement?) throws -> SQLBuilder {
        var sql = SQLBuilder()
        var assignments: [String] = ["\"deletedAt\" = NULL"]
        var written: Set<String> = []
        for column in staged {
            let name = column.csv.column.name
            guard name != "id", !name.hasPrefix("createdBy") else { continue }
            let quoted = try SQLIdentifier(name).quoted
            written.insert(quoted)
            assignments.append("\(quoted) = COALESCE(s.\"\(column.name)\"::\(try column.csv.column.sqlType(schema: reads.schema)), a.\(quoted))")
        }
        for lookup in lookups {
            let quoted = try SQLIdentifier(lookup.foreignKey.name).quoted
            assignments.append("\(quoted) = COALESCE(s.\"\(lookup.resolved)\"::uuid, a.\(quoted))")
        }
        for (column, expression) in try actorColumns(["updatedBy"], excluding: written, into: &sql) {
            assignments.append("\(column) = \(expression)")
        }
        if object.field(named: "updatedAt") != nil { assignments.append("\"updatedAt\" = now()") }
        sql.append("WITH p AS (UPDATE \(reads.schema).\(reads.table) AS a SET \(assignments.joined(separator: ", ")) ")
        sql.append("FROM \(table) s, \(reads.schema).\(reads.table) o WHERE ")
        appendRange(range, to: &sql)
        sql.append(" AND a.\"id\" = s.\"_target\" AND o.\"id\" = a.\"id\" RETURNING a.*, to_jsonb(o) AS \"\(RecordEventStatement.beforeColumn)\"")
        try reads.appendRowLevelCheck(returning: "a", to: &sql)
        sql.append(")")
        try events?.append(.updated, changed: "p", before: .returned, to: &sql)
        sql.append(" SELECT count(*)::text FROM p")
        return sql
    }

    /// `s."n" BETWEEN … AND … AND s."_error" IS NULL`.
    private func appendRange(_ range: ClosedRange<Int>, to sql: inout SQLBuilder) {
        sql.append("s.\"n\" BETWEEN ")
        sql.bind(range.lowerBound)
        sql.append(" AND ")
        sql.bind(range.upperBound)
        sql.append(" AND s.\"_error\" IS NULL")
    }

    /// The columns of the ACTOR fields `names` set to the importer (source `IMPORT`), with their expressions (bound
    /// into `sql`): a record imported by a member names that member, as Twenty's import does. Columns the file gives
    /// (`excluding`, quoted) keep the file's values.
    private func actorColumns(_ names: [String], excluding: Set<String>, into sql: inout SQLBuilder) throws -> [(String, String)] {
        var columns: [(String, String)] = []
        for name in names {
            guard let field = object.field(named: name), field.isActive, case .composite(let properties) = field.storage else { continue }
            for (property, column) in properties where !excluding.contains(try SQLIdentifier(column.name).quoted) {
                let expression: String
                switch property {
                case "source":
                    expression = sql.fragment { $0.bind("IMPORT") } + "::\(try column.sqlType(schema: reads.schema))"
                case "workspaceMemberId":
                    expression = sql.fragment { $0.bind(scope.actor.workspaceMemberID?.lowercased) } + "::uuid"
                case "name":
                    expression = sql.fragment { $0.bind(scope.actor.name) } + "::text"
                default:
                    expression = "'{}'::jsonb"
                }
                columns.append((try SQLIdentifier(column.name).quoted, expression))
            }
        }
        return columns
    }
}
