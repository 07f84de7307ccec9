import Foundation

/// One role's row-level predicates over one object: predicates and groups (AND/OR, nested) that every read and write
/// of the role adds to its SQL, so records outside them behave as absent.
///
/// Root predicates and root groups are joined with AND. A predicate compares a record field (or a composite's
/// property) with a value, or with the current workspace member's field (`workspaceMemberFieldMetadataId`, e.g.
/// `accountOwner = me`). Operands: Twenty's view-filter names (`IS`, `IS_NOT`, `CONTAINS`, `DOES_NOT_CONTAIN`,
/// `GREATER_THAN`, `GREATER_THAN_OR_EQUAL`, `LESS_THAN`, `LESS_THAN_OR_EQUAL`, `IS_EMPTY`, `IS_NOT_EMPTY`, `IN`) or
/// the filter comparators (`eq`, `neq`, `in`, `gt`, `gte`, `lt`, `lte`, `like`, `ilike`, `startsWith`, `endsWith`).
public struct RowLevelRule: Sendable, Hashable {
    public let predicates: [RowLevelPredicateRow]
    public let groups: [RowLevelPredicateGroupRow]

    /// The rules of `role`, by object metadata id.
    static func rules(for role: UUID, rows: PermissionRows) -> [UUID: RowLevelRule] {
        let predicates = Dictionary(grouping: rows.predicates.filter { $0.roleId == role }, by: \.objectMetadataId)
        let groups = Dictionary(grouping: rows.predicateGroups.filter { $0.roleId == role }, by: \.objectMetadataId)
        var rules: [UUID: RowLevelRule] = [:]
        for object in Set(predicates.keys).union(groups.keys) {
            rules[object] = RowLevelRule(predicates: predicates[object] ?? [], groups: groups[object] ?? [])
        }
        return rules
    }

    /// The filter this rule stands for, for the member `member` (nil for an API key: "= me" then matches nothing).
    /// - Throws: ``AtriumError`` `.validationFailed` when a predicate names a field the object no longer has.
    public func filter(on object: WorkspaceSchema.Object, in schema: WorkspaceSchema, member: UUID?) throws -> RecordFilter {
        let byGroup = Dictionary(grouping: predicates, by: \.rowLevelPermissionPredicateGroupId)
        let childGroups = Dictionary(grouping: groups, by: \.parentRowLevelPermissionPredicateGroupId)
        func ordered<T>(_ items: [T], _ position: (T) -> Double?) -> [T] {
            items.enumerated().sorted { (position($0.element) ?? Double($0.offset)) < (position($1.element) ?? Double($1.offset)) }.map(\.element)
        }
        func group(_ id: UUID?) throws -> [RecordFilter] {
            let own = try ordered(byGroup[id] ?? [], \.positionInRowLevelPermissionPredicateGroup).map { try condition($0) }
            let nested = try ordered(childGroups[id] ?? [], \.positionInRowLevelPermissionPredicateGroup).map { child in
                let parts = try group(child.id)
                return child.logicalOperator.uppercased() == "OR" ? RecordFilter.or(parts) : .and(parts)
            }
            return own + nested
        }
        func condition(_ predicate: RowLevelPredicateRow) throws -> RecordFilter {
            guard let field = schema.field(id: predicate.fieldMetadataId), field.object.id == object.id else {
                throw AtriumError(.validationFailed, "A row-level predicate names a field \(object.nameSingular) does not have")
            }
            let path: FieldPath
            if case .foreignKey(let column, _) = field.storage {
                path = FieldPath(column.name)
            } else {
                path = FieldPath(field.name, predicate.subFieldName)
            }
            let value: JSONValue
            if predicate.workspaceMemberFieldMetadataId != nil {
                // "= me": the member's id (the only member field a relation can point at).
                guard let member else { return Self.nothing }
                value = .string(member.lowercased)
            } else {
                value = predicate.value ?? .null
            }
            return try Self.condition(path, operand: predicate.operand, value: value)
        }
        return .and(try group(nil))
    }

    /// A condition no record satisfies.
    static let nothing = RecordFilter.condition(FieldPath("id"), .is, .null)

    /// The filter condition of one predicate: `path <operand> value`.
    /// - Throws: ``AtriumError`` `.validationFailed` for an unknown operand or a value that is not a scalar (or a list for `IN`).
    public static func condition(_ path: FieldPath, operand: String, value: JSONValue) throws -> RecordFilter {
        func text(_ value: JSONValue) throws -> String {
            switch value {
            case .string(let text): return text
            case .number(let number): return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
            case .bool(let flag): return flag ? "true" : "false"
            default: throw AtriumError(.validationFailed, "A row-level predicate's value must be a string, number or boolean")
            }
        }
        func values() throws -> [String] {
            if case .array(let items) = value { return try items.map(text) }
            return [try text(value)]
        }
        switch operand {
        case "IS": return .condition(path, .eq, .value(try text(value)))
        case "IS_NOT": return .condition(path, .neq, .value(try text(value)))
        case "CONTAINS": return .condition(path, .ilike, .value("%" + FilterCompiler.escapeLike(try text(value)) + "%"))
        case "DOES_NOT_CONTAIN": return .not(.condition(path, .ilike, .value("%" + FilterCompiler.escapeLike(try text(value)) + "%")))
        case "GREATER_THAN": return .condition(path, .gt, .value(try text(value)))
        case "GREATER_THAN_OR_EQUAL": return .condition(path, .gte, .value(try text(value)))
        case "LESS_THAN": return .condition(path, .lt, .value(try text(value)))
        case "LESS_THAN_OR_EQUAL": return .condition(path, .lte, .value(try text(value)))
        case "IS_EMPTY": return .condition(path, .is, .null)
        case "IS_NOT_EMPTY": return .condition(path, .is, .notNull)
        case "IN": return .condition(path, .in, .values(try values()))
        default:
            guard let comparator = FilterComparator(rawValue: operand), comparator != .is else {
                throw AtriumError(.validationFailed, "Unknown row-level predicate operand '\(operand)'")
            }
            if comparator == .in || comparator == .containsAny { return .condition(path, comparator, .values(try values())) }
            return .condition(path, comparator, .value(try text(value)))
        }
    }

    /// Whether `operand` is one ``condition(_:operand:value:)`` understands.
    public static func isKnownOperand(_ operand: String) -> Bool {
        (try? condition(FieldPath("id"), operand: operand, value: .string(""))) != nil
    }
}
