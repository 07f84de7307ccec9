import AtriumCore
import Foundation
import Hummingbird

/// The query parameters of REST record routes (`filter`, `order_by`, `limit`, `depth`, `starting_after`,
/// `ending_before`, `fields`, `soft_delete`, `upsert`), parsed into the shared query model.
struct RESTQueryParameters {
    let parameters: Parameters

    init(_ request: Request) {
        self.parameters = request.uri.queryParameters
    }

    func string(_ name: String) -> String? {
        parameters[name[...]].map { String($0) }
    }

    var filter: RecordFilter? {
        get throws {
            guard let text = string("filter"), !text.isEmpty else { return nil }
            return try RESTFilterParser.parse(text)
        }
    }

    /// `order_by=name,employees[DescNullsLast],name.firstName[AscNullsLast]`.
    var order: [OrderTerm] {
        get throws {
            guard let text = string("order_by"), !text.isEmpty else { return [] }
            return try RESTFilterParser.splitTopLevel(text).filter { !$0.isEmpty }.map { item in
                guard let open = item.firstIndex(of: "[") else { return OrderTerm(FieldPath(dotted: item)) }
                guard item.hasSuffix("]") else { throw AtriumError(.badRequest, "Invalid order_by '\(item)'") }
                let name = String(item[item.index(after: open)..<item.index(before: item.endIndex)])
                guard let direction = OrderDirection(rawValue: name) else {
                    throw AtriumError(.badRequest, "Invalid order_by direction '\(name)'; use one of "
                        + OrderDirection.allCases.map(\.rawValue).joined(separator: ", "))
                }
                return OrderTerm(FieldPath(dotted: String(item[..<open])), direction)
            }
        }
    }

    /// `limit`: default 60, at most 200 (larger values are clamped, as Twenty does).
    var limit: Int {
        get throws {
            guard let text = string("limit") else { return FindManyQuery.defaultLimit }
            guard let limit = Int(text), limit >= 0 else {
                throw AtriumError(.badRequest, "limit must be a non-negative integer (got '\(text)')")
            }
            return min(limit, FindManyQuery.maximumLimit)
        }
    }

    /// `depth`: 0 (default) or 1.
    var depth: Int {
        get throws {
            guard let text = string("depth") else { return 0 }
            guard let depth = Int(text), depth == 0 || depth == 1 else {
                throw AtriumError(.badRequest, "depth must be 0 or 1 (got '\(text)')")
            }
            return depth
        }
    }

    var cursor: PageCursor? {
        get throws {
            let after = string("starting_after").flatMap { $0.isEmpty ? nil : $0 }
            let before = string("ending_before").flatMap { $0.isEmpty ? nil : $0 }
            switch (after, before) {
            case (let after?, nil): return .after(after)
            case (nil, let before?): return .before(before)
            case (nil, nil): return nil
            default: throw AtriumError(.badRequest, "starting_after and ending_before cannot be combined")
            }
        }
    }

    var selection: RecordSelection {
        get throws {
            let fields = string("fields").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            return RecordSelection(depth: try depth, fields: fields)
        }
    }

    func flag(_ name: String) throws -> Bool {
        guard let text = string(name) else { return false }
        switch text.lowercased() {
        case "true", "1", "": return true
        case "false", "0": return false
        default: throw AtriumError(.badRequest, "\(name) must be true or false (got '\(text)')")
        }
    }

    var findMany: FindManyQuery {
        get throws {
            FindManyQuery(filter: try filter, order: try order, limit: try limit, cursor: try cursor, selection: try selection)
        }
    }
}
