/// The SQL of one ``AggregateField`` over the matching records in table alias `alias`, as a JSON-ready value.
///
/// "Empty" follows Twenty: NULL, and for text also `''`; arrays and JSON when empty; a composite value when every one
/// of its non-JSON properties is empty. Percentages are ratios between 0 and 1, NULL over no records.
struct AggregateExpression {
    let sql: String

    init(_ aggregate: AggregateField, object: WorkspaceSchema.Object, alias: String) throws {
        guard let name = aggregate.field else {
            sql = "count(*)"
            return
        }
        guard let field = object.field(named: name), field.isActive else {
            throw AtriumError(.validationFailed, "Object '\(object.nameSingular)' has no field '\(name)'")
        }
        let columns: [RecordColumn]
        switch field.storage {
        case .scalar(let column): columns = [column]
        case .composite(let properties): columns = properties.map(\.column).filter { $0.type != .jsonb }
        default: throw AtriumError(.validationFailed, "Field '\(name)' cannot be aggregated")
        }
        func reference(_ column: RecordColumn) throws -> String { "\(alias).\(try SQLIdentifier(column.name))" }
        let empty = "(" + (try columns.map { try Self.isEmpty(try reference($0), $0.type) }.joined(separator: " AND ")) + ")"
        switch aggregate.operation {
        case .count:
            sql = "count(*)"
        case .countEmpty:
            sql = "count(*) FILTER (WHERE \(empty))"
        case .countNotEmpty:
            sql = "count(*) FILTER (WHERE NOT \(empty))"
        case .countUniqueValues:
            let value = columns.count == 1 ? try reference(columns[0]) : "ROW(" + (try columns.map(reference).joined(separator: ", ")) + ")"
            sql = "count(DISTINCT \(value)) FILTER (WHERE NOT \(empty))"
        case .percentageEmpty, .percentageNotEmpty:
            let negation = aggregate.operation == .percentageEmpty ? "" : "NOT "
            sql = "(count(*) FILTER (WHERE \(negation)\(empty)))::float8 / NULLIF(count(*), 0)"
        case .countTrue, .countFalse:
            sql = "count(*) FILTER (WHERE \(try reference(columns[0])) IS \(aggregate.operation == .countTrue ? "TRUE" : "FALSE"))"
        case .min, .max, .avg, .sum:
            let column: RecordColumn
            if let property = aggregate.property {
                guard case .composite(let properties) = field.storage, let found = properties.first(where: { $0.property == property }) else {
                    throw AtriumError(.validationFailed, "Field '\(name)' has no property '\(property)'")
                }
                column = found.column
            } else {
                column = columns[0]
            }
            let value = "\(aggregate.operation.rawValue)(\(try reference(column)))"
            switch aggregate.result {
            case .dateTime: sql = "to_char(\(value) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
            case .date: sql = value
            case .int, .float: sql = "(\(value))::float8"
            }
        }
    }

    /// Whether a column's value counts as empty.
    static func isEmpty(_ reference: String, _ type: ColumnType) throws -> String {
        switch type {
        case .text: "(\(reference) IS NULL OR \(reference) = '')"
        case .textArray, .enumerationArray: "(\(reference) IS NULL OR cardinality(\(reference)) = 0)"
        case .jsonb: "(\(reference) IS NULL OR \(reference) IN ('null'::jsonb, '{}'::jsonb, '[]'::jsonb))"
        default: "\(reference) IS NULL"
        }
    }
}
