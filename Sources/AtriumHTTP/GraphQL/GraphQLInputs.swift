import AtriumCore
import Foundation
import GraphQL
import OrderedCollections

/// Turns GraphQL argument values into the shared query model: filter inputs into ``RecordFilter``, `orderBy` into
/// ``OrderTerm``s, `data` into the ``JSONValue`` that ``RecordService`` validates for REST too.
enum GraphQLInputs {
    /// `{and:[…], or:[…], not:{…}, name:{ilike:"%a%"}, address:{addressCity:{eq:"Paris"}}}` → a filter; several keys
    /// in one object are all required.
    static func filter(_ map: Map, object: WorkspaceSchema.Object) throws -> RecordFilter {
        guard case .dictionary(let entries) = map else { throw AtriumError(.badRequest, "A filter must be an object") }
        var parts: [RecordFilter] = []
        for (key, value) in entries {
            if value.isNull || value.isUndefined { continue }
            switch key {
            case "and", "or":
                guard case .array(let items) = value else { throw AtriumError(.badRequest, "'\(key)' takes a list of filters") }
                let filters = try items.map { try filter($0, object: object) }
                parts.append(key == "and" ? .and(filters) : .or(filters))
            case "not":
                parts.append(.not(try filter(value, object: object)))
            default:
                if let field = object.field(named: key), field.type.isComposite {
                    guard case .dictionary(let properties) = value else { throw AtriumError(.badRequest, "'\(key)' takes an object") }
                    for (property, comparisons) in properties where !comparisons.isNull && !comparisons.isUndefined {
                        parts += try conditions(FieldPath(key, property), comparisons)
                    }
                } else {
                    parts += try conditions(FieldPath(key), value)
                }
            }
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private static func conditions(_ path: FieldPath, _ map: Map) throws -> [RecordFilter] {
        guard case .dictionary(let comparisons) = map else { throw AtriumError(.badRequest, "'\(path)' takes an object of comparisons") }
        var result: [RecordFilter] = []
        for (name, value) in comparisons {
            if value.isNull || value.isUndefined { continue }
            guard let comparator = FilterComparator(rawValue: name) else {
                throw AtriumError(.badRequest, "Unknown comparator '\(name)' on '\(path)'")
            }
            let operand: FilterOperand
            switch (comparator, value) {
            case (.is, .string(let text)):
                operand = text == "NULL" ? .null : .notNull
            case (_, .array(let items)):
                operand = .values(try items.map(text))
            default:
                operand = .value(try text(value))
            }
            result.append(.condition(path, comparator, operand))
        }
        return result
    }

    /// A scalar argument value as the text the record engine checks.
    static func text(_ value: Map) throws -> String {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number):
            let double = number.doubleValue
            if double.rounded() == double, abs(double) < 1e15 { return String(Int64(double)) }
            return String(double)
        default: throw AtriumError(.badRequest, "Expected a scalar value, got \(value.typeDescription)")
        }
    }

    /// `[{name: AscNullsFirst}, {address: {addressCity: DescNullsLast}}]` → order terms.
    static func order(_ map: Map) throws -> [OrderTerm] {
        var terms: [OrderTerm] = []
        for (key, value) in listEntries(map) {
            switch value {
            case .string(let direction):
                terms.append(OrderTerm(FieldPath(key), try Self.direction(direction)))
            case .dictionary(let properties):
                for (property, direction) in properties {
                    guard case .string(let direction) = direction else { continue }
                    terms.append(OrderTerm(FieldPath(key, property), try Self.direction(direction)))
                }
            default:
                continue
            }
        }
        return terms
    }

    /// The entries of a list of input objects (or of one object given where a list is expected), in order.
    static func listEntries(_ map: Map) -> [(key: String, value: Map)] {
        let items: [Map] = if case .array(let items) = map { items } else if case .dictionary = map { [map] } else { [] }
        return items.flatMap { item -> [(key: String, value: Map)] in
            guard case .dictionary(let entries) = item else { return [] }
            return entries.map { ($0.key, $0.value) }
        }
    }

    private static func direction(_ text: String) throws -> OrderDirection {
        guard let direction = OrderDirection(rawValue: text) else { throw AtriumError(.badRequest, "Unknown order direction '\(text)'") }
        return direction
    }

    /// A `data` input as JSON, dropping fields left undefined.
    static func json(_ map: Map) throws -> JSONValue {
        switch map {
        case .undefined, .null: return .null
        case .bool(let flag): return .bool(flag)
        case .number(let number): return .number(number.doubleValue)
        case .string(let text): return .string(text)
        case .array(let items): return .array(try items.map(json))
        case .dictionary(let entries):
            var object: [String: JSONValue] = [:]
            for (key, value) in entries where !value.isUndefined { object[key] = try json(value) }
            return .object(object)
        }
    }

    /// An optional integer argument: nil when absent or null. GraphQLSwift's `Int` lets a 64-bit literal (and a
    /// fractional variable) through; like graphql-js, Atrium takes only whole numbers that fit 32 bits.
    /// - Throws: ``AtriumError`` `.badRequest` (BAD_USER_INPUT) for any other number.
    static func int(_ map: Map?, _ name: String) throws -> Int? {
        guard case .number(let number)? = map else { return nil }
        guard let value = WholeNumber.exact(number.doubleValue, in: WholeNumber.int32) else {
            throw AtriumError(.badRequest, "Int cannot represent non 32-bit signed integer value: \(number.doubleValue) (argument '\(name)')")
        }
        return value
    }

    /// An optional string argument.
    static func string(_ map: Map) -> String? {
        if case .string(let text) = map { return text }
        return nil
    }
}

/// Checks of GraphQL names (response keys, type and enum value names).
enum SelectionNames {
    /// - Throws: when `name` does not match `[_A-Za-z][_0-9A-Za-z]*`.
    static func check(_ name: String) throws {
        let bytes = Array(name.utf8)
        func allowed(_ byte: UInt8, first: Bool) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): !first
            default: false
            }
        }
        guard let head = bytes.first, allowed(head, first: true), bytes.dropFirst().allSatisfy({ allowed($0, first: false) }) else {
            throw AtriumError(.validationFailed, "'\(name)' is not a valid GraphQL name")
        }
    }
}
