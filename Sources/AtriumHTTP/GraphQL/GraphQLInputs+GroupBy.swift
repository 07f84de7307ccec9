import AtriumCore
import Foundation
import GraphQL
import OrderedCollections

// MARK: - Group-by arguments

extension GraphQLInputs {
    /// `<plural>GroupBy(groupBy:, filter:, orderBy:, orderByForRecords:, viewId:, limit:)` as the shared
    /// ``GroupByQuery`` and the page of records each group's connection renders.
    /// With `viewId`, also the view (its filters are applied by the caller, which reads it); `groupBy` may then be
    /// left out for the view's grouping field.
    static func groupBy(
        _ arguments: OrderedDictionary<String, Map>, object: WorkspaceSchema.Object
    ) throws -> (query: GroupByQuery, records: PageRequest, view: UUID?) {
        var view: UUID?
        if let value = arguments["viewId"], !value.isNull, !value.isUndefined {
            guard let id = string(value).flatMap(UUID.init(text:)) else { throw AtriumError(.badRequest, "viewId must be a UUID") }
            view = id
        }
        var filter: RecordFilter?
        if let value = arguments["filter"], !value.isNull, !value.isUndefined { filter = try Self.filter(value, object: object) }
        let grouping = arguments["groupBy"] ?? .null
        let byView = view != nil && listEntries(grouping).isEmpty
        var query = GroupByQuery(dimensions: byView ? [] : try dimensions(grouping, object: object), filter: filter,
                                 order: try groupOrder(arguments["orderBy"] ?? .null))
        if let limit = try int(arguments["limit"], "limit") { query.limit = limit }
        let records = PageRequest(filter: filter, order: try order(arguments["orderByForRecords"] ?? .null))
        return (query, records, view)
    }

    /// `[{stage: true}, {address: {addressCity: true}}, {createdAt: {granularity: MONTH}}, {companyId: true}]`.
    static func dimensions(_ map: Map, object: WorkspaceSchema.Object) throws -> [GroupByQuery.Dimension] {
        var dimensions: [GroupByQuery.Dimension] = []
        for (key, value) in listEntries(map) {
            switch value {
            case .bool(true):
                dimensions.append(.init(FieldPath(key)))
            case .dictionary(let properties):
                let type = object.field(named: key)?.type
                if properties["granularity"] != nil || type == .dateTime || type == .date {
                    var granularity: GroupByQuery.Granularity?
                    if let text = properties["granularity"].flatMap(string) {
                        guard let known = GroupByQuery.Granularity(rawValue: text) else {
                            throw AtriumError(.badRequest, "Unknown date granularity '\(text)'")
                        }
                        granularity = known
                    }
                    dimensions.append(.init(FieldPath(key), granularity: granularity))
                } else {
                    for (property, flag) in properties where flag.bool == true { dimensions.append(.init(FieldPath(key, property))) }
                }
            default:
                continue
            }
        }
        return dimensions
    }

    /// `[{aggregate: {totalCount: DescNullsLast}}, {stage: AscNullsFirst}, {createdAt: {orderBy: AscNullsLast}}]`:
    /// terms naming an aggregate or a dimension.
    static func groupOrder(_ map: Map) throws -> [OrderTerm] {
        var terms: [OrderTerm] = []
        for (key, value) in listEntries(map) {
            if key == "aggregate" || value.dictionary?["orderBy"] != nil {
                guard case .dictionary(let inner) = value else { continue }
                for (name, direction) in inner where key == "aggregate" || name == "orderBy" {
                    guard let text = string(direction) else { continue }
                    let path = key == "aggregate" ? name : key
                    terms += try order(.dictionary([path: .string(text)]))
                }
            } else {
                terms += try order(.dictionary([key: value]))
            }
        }
        return terms
    }
}
