/// Compiles a ``RecordFilter`` into a SQL condition over one table alias, with every value bound.
struct FilterCompiler {
    let object: WorkspaceSchema.Object
    let schema: SQLIdentifier
    let alias: String

    /// Appends the condition for `filter`.
    /// - Throws: ``AtriumError`` `.validationFailed` for unknown fields, wrong comparators and invalid values.
    func append(_ filter: RecordFilter, to sql: inout SQLBuilder) throws {
        switch filter {
        case .and(let parts), .or(let parts):
            guard !parts.isEmpty else {
                sql.append("TRUE")
                return
            }
            let joiner = if case .and = filter { " AND " } else { " OR " }
            sql.append("(")
            for (index, part) in parts.enumerated() {
                if index > 0 { sql.append(joiner) }
                try append(part, to: &sql)
            }
            sql.append(")")
        case .not(let part):
            sql.append("NOT (")
            try append(part, to: &sql)
            sql.append(")")
        case .condition(let path, let comparator, let operand):
            try appendCondition(object.resolve(path), comparator, operand, to: &sql)
        }
    }

    private func appendCondition(
        _ target: ResolvedColumn, _ comparator: FilterComparator, _ operand: FilterOperand, to sql: inout SQLBuilder
    ) throws {
        let column = "\(alias).\(try SQLIdentifier(target.column.name))"
        let type = try target.column.sqlType(schema: schema)
        let checker = target.value
        let isArray = target.column.type == .enumerationArray || target.column.type == .textArray
        func single() throws -> String {
            guard case .value(let value) = operand else {
                throw AtriumError(.validationFailed, "'\(comparator.rawValue)' on '\(target.label)' needs a single value")
            }
            return value
        }
        func list() throws -> [String] {
            switch operand {
            case .values(let values): return values
            case .value(let value): return [value]
            default: throw AtriumError(.validationFailed, "'\(comparator.rawValue)' on '\(target.label)' needs a list like [a,b]")
            }
        }
        switch comparator {
        case .is:
            switch operand {
            case .null: sql.append("\(column) IS NULL")
            case .notNull: sql.append("\(column) IS NOT NULL")
            default: throw AtriumError(.validationFailed, "'is' on '\(target.label)' takes NULL or NOT_NULL")
            }
        case .eq, .neq, .gt, .gte, .lt, .lte:
            guard !isArray, target.column.type != .jsonb else {
                throw AtriumError(.validationFailed, "'\(comparator.rawValue)' cannot compare '\(target.label)'")
            }
            let symbol = switch comparator {
            case .eq: "="
            case .neq: "<>"
            case .gt: ">"
            case .gte: ">="
            case .lt: "<"
            default: "<="
            }
            sql.append("\(column) \(symbol) ")
            sql.bind(try checker.text(try single()))
            sql.append("::\(type)")
        case .in:
            guard !isArray, target.column.type != .jsonb else {
                throw AtriumError(.validationFailed, "'in' cannot compare '\(target.label)'")
            }
            sql.append("\(column) = ANY(")
            sql.bind(try list().map(checker.text))
            sql.append("::\(type)[])")
        case .containsAny:
            guard isArray else { throw AtriumError(.validationFailed, "'containsAny' needs an array or multi-select field, not '\(target.label)'") }
            sql.append("\(column) && ")
            sql.bind(try list().map(checker.text))
            sql.append("::\(type)")
        case .like, .ilike, .startsWith, .endsWith:
            let value = try single()
            let pattern = switch comparator {
            case .startsWith: Self.escapeLike(value) + "%"
            case .endsWith: "%" + Self.escapeLike(value)
            default: try Self.checkedLikePattern(value)
            }
            let text = target.column.type == .text ? column : "\(column)::text"
            sql.append("\(text) \(comparator == .ilike ? "ILIKE" : "LIKE") ")
            sql.bind(pattern)
        }
    }

    /// A `like`/`ilike` pattern as given, once sure PostgreSQL takes it: `\` escapes the next character, so an odd run
    /// of backslashes cannot end the pattern (PostgreSQL would refuse it only when a row reaches the comparison).
    static func checkedLikePattern(_ pattern: String) throws -> String {
        guard pattern.reversed().prefix(while: { $0 == "\\" }).count.isMultiple(of: 2) else {
            throw AtriumError(.validationFailed, "Invalid like pattern: a backslash escapes the next character, so it cannot end the pattern")
        }
        return pattern
    }

    /// Escapes LIKE's wildcards so `startsWith`/`endsWith` match the text literally.
    static func escapeLike(_ value: String) -> String {
        var escaped = ""
        for character in value {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
