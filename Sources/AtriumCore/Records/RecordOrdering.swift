/// An ordering compiled against one object: the user's terms, then `id` as the tie-breaker that makes keyset
/// pagination exact.
struct RecordOrdering {
    struct Term {
        let column: String
        let direction: OrderDirection
    }

    let terms: [Term]

    /// Resolves `order`; with no terms, records come by `position` (when the object has it), then `id`.
    init(_ order: [OrderTerm], object: WorkspaceSchema.Object) throws {
        var terms: [Term] = []
        var seen: Set<String> = []
        var order = order
        if order.isEmpty, let position = object.field(named: "position"), position.isActive { order = [OrderTerm(FieldPath("position"))] }
        for term in order {
            let resolved = try object.resolve(term.path, primaryPropertyByDefault: true)
            guard resolved.column.type != .jsonb, resolved.column.type != .tsvector else {
                throw AtriumError(.validationFailed, "Cannot order by '\(resolved.label)'")
            }
            guard seen.insert(resolved.column.name).inserted, resolved.column.name != "id" else { continue }
            terms.append(Term(column: resolved.column.name, direction: term.direction))
        }
        terms.append(Term(column: "id", direction: .ascNullsLast))
        self.terms = terms
    }

    /// `ORDER BY` items for `alias`, walked forwards or backwards.
    func sql(alias: String, reversed: Bool = false) throws -> String {
        try terms.map { term in
            let direction = reversed ? term.direction.reversed : term.direction
            return "\(alias).\(try SQLIdentifier(term.column)) \(direction.isAscending ? "ASC" : "DESC") NULLS \(direction.nullsFirst ? "FIRST" : "LAST")"
        }.joined(separator: ", ")
    }

    /// The keyset condition "comes after the row `cursor`" in this ordering (or its reverse).
    func after(alias: String, cursor: String, reversed: Bool = false) throws -> String {
        var alternatives: [String] = []
        var equalSoFar: [String] = []
        for term in terms {
            let column = try SQLIdentifier(term.column)
            let x = "\(alias).\(column)"
            let v = "\(cursor).\(column)"
            let direction = reversed ? term.direction.reversed : term.direction
            let comparison = direction.isAscending ? ">" : "<"
            let step = direction.nullsFirst
                ? "(\(x) \(comparison) \(v) OR (\(v) IS NULL AND \(x) IS NOT NULL))"
                : "(\(x) \(comparison) \(v) OR (\(x) IS NULL AND \(v) IS NOT NULL))"
            alternatives.append((equalSoFar + [step]).joined(separator: " AND "))
            equalSoFar.append("\(x) IS NOT DISTINCT FROM \(v)")
        }
        return "(" + alternatives.map { "(\($0))" }.joined(separator: " OR ") + ")"
    }
}
