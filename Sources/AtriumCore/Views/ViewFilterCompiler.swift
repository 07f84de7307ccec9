import Foundation

/// Compiles a saved view's filters, nested filter groups and sorts into the shared query model (``RecordFilter``,
/// ``OrderTerm``), as Twenty's client turns them into a record filter (`computeRecordGqlOperationFilter`):
///
/// - filters outside any group, and each top-level group (AND, OR, or NOT of its members, nested), are AND-ed;
/// - each operand means for each field type what it means in Twenty (`IS` of a SELECT is `in` its JSON list of
///   values, `CONTAINS` of a text is `ilike %v%`, `IS_EMPTY` of a name is every part empty, `IS` of a relation is
///   `<field>Id in` the selected ids, with the caller's workspace member for "me", …);
/// - dates are read in the caller's time zone: `IS_TODAY`, `IS_IN_PAST`, `IS_IN_FUTURE`, and `IS_RELATIVE` values such
///   as `PAST_3_DAY` or `THIS__MONTH;;Europe/Paris;;MONDAY;;`;
/// - a filter whose value is empty, or which names a field the object no longer has, filters nothing (as in Twenty).
///
/// ```swift
/// let query = try ViewFilterCompiler(object: company, context: .init(workspaceMemberID: me, timeZone: paris)).compile(view)
/// // query.filter: .and([.condition(FieldPath("employees"), .gte, .value("100")), …]); query.order: [OrderTerm]
/// ```
public struct ViewFilterCompiler: Sendable {
    /// What a view's values resolve against: who "me" is, the time zone of "today", and now.
    public struct Context: Sendable {
        public var workspaceMemberID: UUID?
        public var timeZone: TimeZone
        public var now: Date

        public init(workspaceMemberID: UUID?, timeZone: TimeZone = TimeZone(identifier: "UTC")!, now: Date = Date()) {
            self.workspaceMemberID = workspaceMemberID
            self.timeZone = timeZone
            self.now = now
        }
    }

    /// A view as a query: nil filter when the view filters nothing.
    public struct Query: Sendable {
        public var filter: RecordFilter?
        public var order: [OrderTerm]
    }

    let object: WorkspaceSchema.Object
    let context: Context

    public init(object: WorkspaceSchema.Object, context: Context) {
        self.object = object
        self.context = context
    }

    public func compile(_ view: ViewDefinition) throws -> Query {
        var parts = view.filters.filter { $0.viewFilterGroupId == nil }.compactMap(condition)
        for group in view.filterGroups where group.parentViewFilterGroupId == nil {
            if let compiled = compile(group, in: view, depth: 0) { parts.append(compiled) }
        }
        if let text = view.anyFieldFilterValue, !text.isEmpty, let any = anyField(text) { parts.append(any) }
        let filter: RecordFilter? = parts.isEmpty ? nil : parts.count == 1 ? parts[0] : .and(parts)
        let order = view.sorts.compactMap { sort -> OrderTerm? in
            guard let field = object.fields.first(where: { $0.id == sort.fieldMetadataId }) else { return nil }
            let direction: OrderDirection = sort.direction == "DESC" ? .descNullsLast : .ascNullsFirst
            if let sub = sort.subFieldName { return OrderTerm(FieldPath(field.name, sub), direction) }
            if let primary = Self.primarySubfield[field.type] { return OrderTerm(FieldPath(field.name, primary), direction) }
            if field.type == .relation { return OrderTerm(FieldPath(field.name + "Id"), direction) }
            return OrderTerm(FieldPath(field.name), direction)
        }
        return Query(filter: filter, order: order)
    }

    /// The view's search across fields, as Twenty's client builds it (`turnAnyFieldFilterIntoRecordGqlFilter`): text,
    /// address, links, full name, array, emails and phones CONTAIN the value; a number (or currency amount) IS it when it
    /// is a number; SELECT options whose label or value contains it are an `IS`, MULTI_SELECT ones a `CONTAINS` — all
    /// OR-ed. Nil when no field can match.
    func anyField(_ value: String) -> RecordFilter? {
        let isNumber = Double(value.trimmingCharacters(in: .whitespaces)) != nil
        var filters: [ViewDefinition.Filter] = []
        func add(_ field: WorkspaceSchema.Field, _ operand: String, _ value: JSONValue) {
            filters.append(ViewDefinition.Filter(fieldMetadataId: field.id, operand: operand, value: value, viewFilterGroupId: nil,
                                                 positionInViewFilterGroup: nil, subFieldName: nil))
        }
        for field in object.fields where field.isActive {
            switch field.type {
            case .text, .address, .links, .fullName, .array, .emails, .phones:
                add(field, "CONTAINS", .string(value))
            case .number, .currency:
                if isNumber { add(field, "IS", .string(value)) }
            case .select, .multiSelect:
                let needle = value.lowercased()
                let matching = (field.options ?? []).filter { $0.label.lowercased().contains(needle) || $0.value.lowercased().contains(needle) }
                if !matching.isEmpty { add(field, field.type == .select ? "IS" : "CONTAINS", .array(matching.map { .string($0.value) })) }
            default:
                break
            }
        }
        let conditions = filters.compactMap(condition)
        return conditions.isEmpty ? nil : conditions.count == 1 ? conditions[0] : .or(conditions)
    }

    /// A group: its filters and subgroups in position order, combined by its operator (a NOT group negates the AND of
    /// its members).
    private func compile(_ group: ViewDefinition.FilterGroup, in view: ViewDefinition, depth: Int) -> RecordFilter? {
        guard depth < 32 else { return nil }  // a cycle of parents
        var members: [(Double, RecordFilter)] = []
        for filter in view.filters where filter.viewFilterGroupId == group.id {
            if let compiled = condition(filter) { members.append((filter.positionInViewFilterGroup ?? 0, compiled)) }
        }
        for child in view.filterGroups where child.parentViewFilterGroupId == group.id && child.id != group.id {
            if let compiled = compile(child, in: view, depth: depth + 1) { members.append((child.positionInViewFilterGroup ?? 0, compiled)) }
        }
        let parts = members.sorted { $0.0 < $1.0 }.map(\.1)
        guard !parts.isEmpty else { return nil }
        switch group.logicalOperator {
        case "OR": return parts.count == 1 ? parts[0] : .or(parts)
        case "NOT": return .not(parts.count == 1 ? parts[0] : .and(parts))
        default: return parts.count == 1 ? parts[0] : .and(parts)
        }
    }

    // MARK: - One filter

    /// The composite property a sort on the whole field orders by, and a text search looks in first.
    static let primarySubfield: [FieldType: String] = [
        .fullName: "firstName", .currency: "amountMicros", .emails: "primaryEmail", .links: "primaryLinkUrl",
        .phones: "primaryPhoneNumber", .address: "addressStreet1", .actor: "name",
    ]

    /// The properties a `CONTAINS` on the whole composite field searches.
    static let searchedSubfields: [FieldType: [String]] = [
        .fullName: ["firstName", "lastName"], .emails: ["primaryEmail"], .links: ["primaryLinkUrl", "primaryLinkLabel"],
        .phones: ["primaryPhoneNumber", "primaryPhoneCallingCode"], .actor: ["name"],
        .address: ["addressStreet1", "addressStreet2", "addressCity", "addressState", "addressCountry", "addressPostcode"],
    ]

    /// A filter as a condition; nil when it filters nothing.
    func condition(_ filter: ViewDefinition.Filter) -> RecordFilter? {
        guard let field = object.fields.first(where: { $0.id == filter.fieldMetadataId && $0.isActive }) else { return nil }
        let value: String = switch filter.value {
        case .string(let text): text
        case .null: ""
        default: (try? JSONEncoder().encode(filter.value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        switch filter.operand {
        case "IS_EMPTY": return empty(field, sub: filter.subFieldName)
        case "IS_NOT_EMPTY": return empty(field, sub: filter.subFieldName).map { .not($0) }
        case "IS_IN_PAST", "IS_IN_FUTURE", "IS_TODAY": return date(field, filter.operand, value)
        default: break
        }
        guard !value.isEmpty else { return nil }
        switch field.type {
        case .date, .dateTime: return date(field, filter.operand, value)
        case .number, .numeric: return number(FieldPath(field.name), filter.operand, value, scale: 1)
        case .currency:
            if filter.subFieldName == "currencyCode" { return list(FieldPath(field.name, "currencyCode"), filter.operand, value) }
            return number(FieldPath(field.name, "amountMicros"), filter.operand, value, scale: 1_000_000)
        case .rating: return rating(FieldPath(field.name), filter.operand, value)
        case .select, .uuid: return list(FieldPath(field.name), filter.operand, value)
        case .multiSelect:
            let values = Self.values(value)
            guard !values.isEmpty else { return nil }
            let contains = RecordFilter.condition(FieldPath(field.name), .containsAny, .values(values))
            return filter.operand == "DOES_NOT_CONTAIN" ? .or([.not(contains), .condition(FieldPath(field.name), .is, .null)]) : contains
        case .relation: return relation(FieldPath(field.name + "Id"), filter.operand, value)
        case .boolean:
            guard value == "true" || value == "false" else { return nil }
            return .condition(FieldPath(field.name), .eq, .value(value))
        case .actor where filter.subFieldName == "source": return list(FieldPath(field.name, "source"), filter.operand, value)
        case .actor where filter.subFieldName == "workspaceMemberId": return relation(FieldPath(field.name, "workspaceMemberId"), filter.operand, value)
        default:
            let paths = filter.subFieldName.map { [FieldPath(field.name, $0)] }
                ?? Self.searchedSubfields[field.type].map { $0.map { FieldPath(field.name, $0) } } ?? [FieldPath(field.name)]
            let search = field.type == .phones && filter.subFieldName == nil ? value.filter(\.isNumber) : value
            guard !search.isEmpty else { return nil }
            let matches = paths.map { RecordFilter.condition($0, .ilike, .value("%\(search)%")) }
            switch filter.operand {
            case "CONTAINS", "IS": return matches.count == 1 ? matches[0] : .or(matches)
            case "DOES_NOT_CONTAIN", "IS_NOT":
                let misses = paths.map { path in RecordFilter.or([.not(.condition(path, .ilike, .value("%\(search)%"))), .condition(path, .is, .null)]) }
                return misses.count == 1 ? misses[0] : .and(misses)
            default: return nil
            }
        }
    }

    /// Whether a field is empty, as Twenty's `getEmptyRecordGqlOperationFilter` says.
    private func empty(_ field: WorkspaceSchema.Field, sub: String?) -> RecordFilter? {
        func blank(_ path: FieldPath) -> RecordFilter { .or([.condition(path, .eq, .value("")), .condition(path, .is, .null)]) }
        if let sub { return blank(FieldPath(field.name, sub)) }
        switch field.type {
        case .text, .richText: return blank(FieldPath(field.name))
        case .relation: return .condition(FieldPath(field.name + "Id"), .is, .null)
        case .currency: return .condition(FieldPath(field.name, "amountMicros"), .is, .null)
        case .fullName, .address, .emails, .links, .phones, .actor:
            let parts = (Self.searchedSubfields[field.type] ?? []).map { blank(FieldPath(field.name, $0)) }
            return field.type == .fullName || field.type == .address ? .and(parts) : parts.first
        default: return .condition(FieldPath(field.name), .is, .null)
        }
    }

    private func number(_ path: FieldPath, _ operand: String, _ value: String, scale: Double) -> RecordFilter? {
        guard let number = Double(value.trimmingCharacters(in: .whitespaces)), number.isFinite else { return nil }
        let scaled = number * scale
        let text = scaled == scaled.rounded() && abs(scaled) < 9e15 ? String(Int64(scaled)) : String(scaled)
        switch operand {
        case "IS": return .condition(path, .eq, .value(text))
        case "IS_NOT": return .not(.condition(path, .eq, .value(text)))
        case "GREATER_THAN_OR_EQUAL": return .condition(path, .gte, .value(text))
        case "LESS_THAN_OR_EQUAL": return .condition(path, .lte, .value(text))
        default: return nil
        }
    }

    private func rating(_ path: FieldPath, _ operand: String, _ value: String) -> RecordFilter? {
        guard let level = Int(value.filter(\.isNumber)), (1...5).contains(level) else { return nil }
        switch operand {
        case "IS": return .condition(path, .eq, .value("RATING_\(level)"))
        case "IS_NOT": return .not(.condition(path, .eq, .value("RATING_\(level)")))
        case "GREATER_THAN_OR_EQUAL": return .condition(path, .in, .values((level...5).map { "RATING_\($0)" }))
        case "LESS_THAN_OR_EQUAL": return .condition(path, .in, .values((1...level).map { "RATING_\($0)" }))
        default: return nil
        }
    }

    /// `IS` / `IS_NOT` of a JSON list of values (`''` in it meaning empty), or one bare value.
    private func list(_ path: FieldPath, _ operand: String, _ value: String) -> RecordFilter? {
        let values = Self.values(value)
        let present = values.filter { !$0.isEmpty }
        var parts: [RecordFilter] = []
        if !present.isEmpty { parts.append(.condition(path, .in, .values(present))) }
        if values.contains("") { parts.append(.condition(path, .is, .null)) }
        guard !parts.isEmpty else { return nil }
        switch operand {
        case "IS": return parts.count == 1 ? parts[0] : .or(parts)
        case "IS_NOT": return .and(parts.map { .not($0) })
        default: return nil
        }
    }

    /// `IS` / `IS_NOT` of a relation: `{"isCurrentWorkspaceMemberSelected": true, "selectedRecordIds": [...]}` or a JSON
    /// list of ids.
    private func relation(_ path: FieldPath, _ operand: String, _ value: String) -> RecordFilter? {
        var ids: [String] = []
        if let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(value.utf8)) {
            if case .array(let items) = parsed {
                ids = items.compactMap(\.string)
            } else {
                ids = parsed["selectedRecordIds"]?.array?.compactMap(\.string) ?? []
                if parsed["isCurrentWorkspaceMemberSelected"] == true {
                    // "Me" for a caller who is no member (an API key) matches nobody.
                    ids.append(context.workspaceMemberID?.lowercased ?? "00000000-0000-0000-0000-000000000000")
                }
            }
        }
        ids = ids.filter { UUID(text: $0) != nil }
        guard !ids.isEmpty else { return nil }
        let matches = RecordFilter.condition(path, .in, .values(ids))
        switch operand {
        case "IS": return matches
        case "IS_NOT": return .or([.not(matches), .condition(path, .is, .null)])
        default: return nil
        }
    }

    /// The values of a JSON list (`["NEW","SCREENING"]`), or the value itself.
    static func values(_ value: String) -> [String] {
        if case .array(let items)? = try? JSONDecoder().decode(JSONValue.self, from: Data(value.utf8)) {
            return items.compactMap(\.string)
        }
        return [value]
    }
}
