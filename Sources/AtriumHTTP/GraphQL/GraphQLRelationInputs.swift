import AtriumCore
import Foundation
import Logging
import NIOCore

/// Resolves the relation inputs of create and update data, Twenty's nested relation queries: a many-to-one field
/// given as `{connect: {where: {id: …}}}`, `{connect: {where: {domainName: {primaryLinkUrl: …}}}}` or
/// `{disconnect: true}` becomes its `<name>Id` column, so the record engine sees the same data REST gives it.
///
/// Connecting by `id` needs no query (the foreign key checks it); connecting by another unique field looks the record
/// up first and requires exactly one match, with Twenty's message otherwise.
struct GraphQLRelationInputs {
    let records: RecordService
    /// The object written, its workspace and the caller: records to connect are looked up with the caller's access.
    let scope: RecordScope

    /// `data` (one record, or a list of them) with its relation inputs replaced by `<name>Id` values.
    func resolve(_ data: JSONValue, of object: WorkspaceSchema.Object) async throws -> JSONValue {
        switch data {
        case .array(let items):
            var resolved: [JSONValue] = []
            for item in items { resolved.append(try await resolve(item, of: object)) }
            return .array(resolved)
        case .object(var values):
            for field in object.fields where field.isActive {
                guard case .foreignKey(let column, let target) = field.storage, let input = values.removeValue(forKey: field.name) else { continue }
                if input == .null { continue }
                guard case .object(let relation) = input else { throw AtriumError(.badRequest, "'\(field.name)' takes {connect: …} or {disconnect: true}") }
                if values[column.name] != nil {
                    throw AtriumError(.badRequest, "Give either '\(field.name)' or '\(column.name)', not both")
                }
                switch (relation["connect"], relation["disconnect"]) {
                case (let connect?, nil) where connect != .null:
                    values[column.name] = .string(try await connectedID(connect, field: field.name, target: target))
                case (nil, .bool(true)?), (.null?, .bool(true)?):
                    values[column.name] = .null
                case (nil, _), (.null?, _):
                    continue
                default:
                    throw AtriumError(.badRequest, "'\(field.name)' cannot both connect and disconnect")
                }
            }
            return .object(values)
        default:
            return data
        }
    }

    /// The id of the one `target` record matching `{where: …}`.
    private func connectedID(_ connect: JSONValue, field: String, target: WorkspaceSchema.Object) async throws -> String {
        guard case .object(let connection) = connect, case .object(let conditions)? = connection["where"], !conditions.isEmpty else {
            throw AtriumError(.badRequest, "'\(field).connect' needs a non-empty 'where'")
        }
        if conditions.count == 1, case .string(let id)? = conditions["id"] {
            guard UUID(text: id) != nil else { throw AtriumError(.badRequest, "'\(field).connect.where.id' must be a UUID") }
            return id.lowercased()
        }
        var filters: [RecordFilter] = []
        var described: [String] = []
        for (name, value) in conditions.sorted(by: { $0.key < $1.key }) {
            if case .object(let properties) = value {
                for (property, propertyValue) in properties.sorted(by: { $0.key < $1.key }) {
                    let text = try Self.text(propertyValue, "\(name).\(property)")
                    filters.append(.condition(FieldPath(name, property), .eq, .value(text)))
                    described.append("\(name).\(property) = \(text)")
                }
            } else {
                let text = try Self.text(value, name)
                filters.append(.condition(FieldPath(name), .eq, .value(text)))
                described.append("\(name) = \(text)")
            }
        }
        let node = RecordTree([("id", .field("id"))])
        let tree = ConnectionTree(page: PageRequest(filter: .and(filters), first: 2), entries: [("edges", .edges([("node", .node(node))]))])
        let json = try await records.findMany(tree, in: scope.on(target))
        let found = (try JSONDecoder().decode(JSONValue.self, from: Data(json.readableBytesView)))
        guard case .object(let page) = found, case .array(let edges)? = page["edges"], edges.count == 1,
              case .object(let edge) = edges[0], case .object(let record)? = edge["node"], case .string(let id)? = record["id"]
        else {
            let count = if case .object(let page) = found, case .array(let edges)? = page["edges"] { edges.count } else { 0 }
            throw AtriumError(.badRequest, "Expected 1 record to connect to \(field), but found \(count) for \(described.joined(separator: " and "))")
        }
        return id
    }

    private static func text(_ value: JSONValue, _ name: String) throws -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: throw AtriumError(.badRequest, "'\(name)' must be a scalar value")
        }
    }
}
