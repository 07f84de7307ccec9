import AtriumCore
import Foundation
import Hummingbird

/// The query parameters of REST record routes (`filter`, `order_by`, `limit`, `depth`, `starting_after`,
/// `ending_before`, `fields`, `soft_delete`, `upsert`), parsed into the shared query model.
struct RESTQueryParameters {
    let parameters: QueryString

    init(_ request: Request) {
        self.parameters = QueryString(request.uri.query)
    }

    func string(_ name: String) -> String? {
        parameters[name]
    }

    var filter: RecordFilter? {
        get throws {
            guard let text = string("filter"), !text.isEmpty else { return nil }
            return try RESTFilterParser.parse(text)
        }
    }

    /// `order_by`.
    var order: [OrderTerm] {
        get throws { try Self.orderTerms(string("order_by")) }
    }

    /// `name,employees[DescNullsLast],name.firstName[AscNullsLast]`.
    static func orderTerms(_ text: String?) throws -> [OrderTerm] {
        guard let text, !text.isEmpty else { return [] }
            return try RESTFilterParser.splitTopLevel(text).filter { !$0.isEmpty }.map { item in
                guard let open = item.firstIndex(of: "[") else { return OrderTerm(FieldPath(dotted: item)) }
                guard item.hasSuffix("]") else { throw AtriumError(.badRequest, "Invalid order_by '\(item)'") }
                let name = String(item[item.index(after: open)..<item.index(before: item.endIndex)])
                guard let direction = OrderDirection(rawValue: name) else {  // Twenty's message
                    throw AtriumError(.badRequest, "'order_by' direction '\(name)' invalid. Allowed values are '"
                        + OrderDirection.allCases.map(\.rawValue).joined(separator: "', '")
                        + "'. eg: ?order_by=field_1[AscNullsFirst],field_2[DescNullsLast],field_3")
                }
                return OrderTerm(FieldPath(dotted: String(item[..<open])), direction)
            }
    }

    /// `limit`: default 60, at most 200 (larger values are clamped, as Twenty does).
    var limit: Int {
        get throws { try Self.limit(string("limit"), default: PageRequest.defaultLimit, maximum: PageRequest.maximumLimit) }
    }

    /// A `limit` as Twenty reads it: absent or empty gives the default; otherwise a number (JavaScript's `+value`, so
    /// ` 10` and `1e1` are 10), not negative, clamped to `maximum`. Atrium also refuses a fraction.
    static func limit(_ text: String?, default defaultLimit: Int, maximum: Int) throws -> Int {
        guard let text, !text.isEmpty else { return defaultLimit }
        guard let value = number(text), value >= 0, value == value.rounded(.towardZero) else {
            throw AtriumError(.badRequest, "limit '\(text)' is invalid. Should be an integer")
        }
        return value > Double(maximum) ? maximum : Int(value)
    }

    /// `depth`: 0 (default, also when empty) or 1, read as a number as Twenty does (`1.0` is 1).
    var depth: Int {
        get throws {
            guard let text = string("depth"), !text.isEmpty else { return 0 }
            guard let value = Self.number(text), value == 0 || value == 1 else {
                throw AtriumError(.badRequest, "'depth=\(text)' parameter invalid. Allowed values are 0, 1")
            }
            return Int(value)
        }
    }

    /// A query parameter as a number, like JavaScript's unary `+` on a string (surrounding white space ignored).
    static func number(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }

    /// The page `filter`, `order_by`, `limit` and `starting_after` or `ending_before` ask for: `limit` records after
    /// the cursor, or the `limit` records before it.
    var page: PageRequest {
        get throws {
            let (filter, order, limit) = (try filter, try order, try limit)
            let after = string("starting_after").flatMap { $0.isEmpty ? nil : $0 }
            let before = string("ending_before").flatMap { $0.isEmpty ? nil : $0 }
            if after != nil, before != nil { throw AtriumError(.badRequest, "starting_after and ending_before cannot be combined") }
            return before == nil
                ? PageRequest(filter: filter, order: order, first: limit, after: after)
                : PageRequest(filter: filter, order: order, last: limit, before: before)
        }
    }

    /// What of each record to render: `depth` and `fields` (comma-separated; only these and `id`).
    var selection: RecordTree {
        get throws {
            let fields = string("fields").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            return .allFields(depth: try depth, only: fields)
        }
    }

    /// `soft_delete`, `upsert`, `include_records_sample`: on only for `true`, as in Twenty; absent, empty or `false`
    /// is off. Anything else is refused rather than read as off (Twenty would, for `soft_delete`, destroy the record).
    func flag(_ name: String) throws -> Bool {
        switch string(name) {
        case "true": return true
        case nil, "", "false": return false
        case let text?: throw AtriumError(.badRequest, "\(name) must be true or false (got '\(text)')")
        }
    }

    /// `group_by=[{"stage":true},{"address":{"addressCity":true}},{"createdAt":{"granularity":"DAY"}}]` and the other
    /// group-by parameters.
    var groupBy: GroupByQuery {
        get throws {
            guard let text = string("group_by"), !text.isEmpty else {
                // Through a view, its grouping field.
                guard let view = string("viewId"), !view.isEmpty else { throw AtriumError(.badRequest, "group_by is required") }
                return try GroupByQuery(dimensions: [], aggregates: aggregates, filter: filter, order: order,
                                        limit: Self.limit(string("limit"), default: GroupByQuery.defaultLimit, maximum: GroupByQuery.maximumLimit),
                                        recordsSample: flag("include_records_sample"), recordsOrder: Self.orderTerms(string("order_by_for_records")))
            }
            guard case .array(let items)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
                throw AtriumError(.badRequest, "group_by must be a JSON array like [{\"stage\":true}]")
            }
            let dimensions = try items.map { item -> GroupByQuery.Dimension in
                guard case .object(let entry) = item, entry.count == 1, let (field, value) = entry.first else {
                    throw AtriumError(.badRequest, "Each group_by item names one field, like {\"stage\":true}")
                }
                switch value {
                case .bool(true):
                    return GroupByQuery.Dimension(FieldPath(field))
                case .object(let inner):
                    if case .string(let raw)? = inner["granularity"] {
                        guard let granularity = GroupByQuery.Granularity(rawValue: raw) else {
                            throw AtriumError(.badRequest, "Unknown granularity '\(raw)'; use one of "
                                + GroupByQuery.Granularity.allCases.map(\.rawValue).joined(separator: ", "))
                        }
                        return GroupByQuery.Dimension(FieldPath(field), granularity: granularity)
                    }
                    guard inner.count == 1, let (property, flag) = inner.first, flag == .bool(true) else {
                        throw AtriumError(.badRequest, "group_by {\"\(field)\": …} takes one property set to true, or a granularity")
                    }
                    return GroupByQuery.Dimension(FieldPath(field, property))
                default:
                    throw AtriumError(.badRequest, "group_by {\"\(field)\": …} must be true, a property or a granularity")
                }
            }
            let limit = try Self.limit(string("limit"), default: GroupByQuery.defaultLimit, maximum: GroupByQuery.maximumLimit)
            return GroupByQuery(dimensions: dimensions, aggregates: try aggregates, filter: try filter, order: try order,
                                limit: limit, recordsSample: try flag("include_records_sample"),
                                recordsOrder: try Self.orderTerms(string("order_by_for_records")))
        }
    }

    /// `aggregate=["countNotEmptyId","sumEmployees"]`.
    var aggregates: [String] {
        get throws {
            guard let text = string("aggregate"), !text.isEmpty else { return [] }
            guard let names = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
                throw AtriumError(.badRequest, "aggregate must be a JSON array of names like [\"countNotEmptyId\"]")
            }
            return names
        }
    }
}
