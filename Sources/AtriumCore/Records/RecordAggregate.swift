/// One of Twenty's aggregates over an object's records (`totalCount`, `countEmptyName`, `sumAmountAmountMicros`, …),
/// compiled to a SQL aggregate expression over a table alias.
struct RecordAggregate {
    enum Operation: String, CaseIterable {
        // Longest names first, so prefixes resolve unambiguously.
        case percentageNotEmpty, percentageEmpty, countUniqueValues, countNotEmpty, countEmpty, countTrue, countFalse
        case min, max, avg, sum
    }

    let name: String
    let operation: Operation?
    let column: RecordColumn?

    /// Resolves `name` against `object`.
    /// - Throws: ``AtriumError`` `.validationFailed` for unknown aggregates, fields, or a type the operation does not apply to.
    init(_ name: String, object: WorkspaceSchema.Object) throws {
        self.name = name
        if name == "totalCount" {
            operation = nil
            column = nil
            return
        }
        guard let operation = Operation.allCases.first(where: { name.hasPrefix($0.rawValue) && name.count > $0.rawValue.count }) else {
            throw AtriumError(.validationFailed, "Unknown aggregate '\(name)'")
        }
        let rest = String(name.dropFirst(operation.rawValue.count))
        let fieldName = rest.prefix(1).lowercased() + rest.dropFirst()
        var found: RecordColumn?
        if let field = object.field(named: fieldName), field.isActive, case .scalar(let column) = field.storage {
            found = column
        } else {
            for field in object.fields where field.isActive {
                guard case .composite(let properties) = field.storage, rest.hasPrefix(field.name.capitalizedFirst) else { continue }
                let property = String(rest.dropFirst(field.name.count))
                if let match = properties.first(where: { $0.property.capitalizedFirst == property }) { found = match.column }
            }
        }
        guard let column = found else { throw AtriumError(.validationFailed, "Aggregate '\(name)' names no field of '\(object.nameSingular)'") }
        let numeric = column.type == .float || column.type == .numeric
        let date = column.type == .timestamptz || column.type == .date
        let valid = switch operation {
        case .countTrue, .countFalse: column.type == .boolean
        case .min, .max: numeric || date
        case .avg, .sum: numeric
        default: true
        }
        guard valid else { throw AtriumError(.validationFailed, "Aggregate '\(name)' does not apply to a field of that type") }
        self.operation = operation
        self.column = column
    }

    /// The SQL expression over the rows of the current group, with columns of `alias`.
    func sql(alias: String) throws -> String {
        guard let operation, let column else { return "count(*)" }
        let reference = "\(alias).\(try SQLIdentifier(column.name))"
        let empty = switch column.type {
        case .text: "(\(reference) IS NULL OR \(reference) = '')"
        case .textArray, .enumerationArray: "(\(reference) IS NULL OR cardinality(\(reference)) = 0)"
        default: "\(reference) IS NULL"
        }
        switch operation {
        case .countEmpty: return "count(*) FILTER (WHERE \(empty))"
        case .countNotEmpty: return "count(*) FILTER (WHERE NOT \(empty))"
        case .countUniqueValues: return "count(DISTINCT \(reference))"
        case .percentageEmpty: return "(count(*) FILTER (WHERE \(empty)))::float8 / NULLIF(count(*), 0)"
        case .percentageNotEmpty: return "(count(*) FILTER (WHERE NOT \(empty)))::float8 / NULLIF(count(*), 0)"
        case .countTrue: return "count(*) FILTER (WHERE \(reference) IS TRUE)"
        case .countFalse: return "count(*) FILTER (WHERE \(reference) IS FALSE)"
        case .avg: return "avg(\(reference))"
        case .sum: return "sum(\(reference))"
        case .min, .max:
            let aggregate = "\(operation.rawValue)(\(reference))"
            return column.type == .timestamptz ? "to_char(\(aggregate) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')" : aggregate
        }
    }
}
