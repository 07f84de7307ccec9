import GraphQL
import OrderedCollections

/// Checks the enum values inside a request's variables before GraphQLSwift coerces them.
///
/// GraphQLSwift answers an unknown enum value with "did you mean" suggestions whose edit distance crashes the process
/// on an empty string (its `lexicalDistance` builds the range `1...0`) and costs memory and time proportional to a long
/// string's length. An enum variable that is not one of the enum's names gets GraphQL's own message here, without
/// suggestions; every other check stays GraphQLSwift's.
enum GraphQLVariableEnums {
    /// The first enum value in `variables` that `operation`'s variable types do not allow, as an error message.
    static func check(_ operation: OperationDefinition, variables: [String: Map], schema: GraphQLSchema) -> String? {
        for definition in operation.variableDefinitions {
            let name = definition.variable.name.value
            guard let value = variables[name], let type = resolve(definition.type, in: schema) else { continue }
            if let problem = check(value, type, depth: 0) { return "Variable \"$\(name)\" got invalid value; \(problem)" }
        }
        return nil
    }

    /// The schema type of a variable's declared type, or nil when a name is unknown (GraphQLSwift's validation says so).
    private static func resolve(_ type: any Type, in schema: GraphQLSchema) -> (any GraphQLType)? {
        switch type {
        case let named as NamedType: schema.getType(name: named.name.value)
        case let list as ListType: resolve(list.type, in: schema).map { GraphQLList($0) }
        case let nonNull as NonNullType: resolve(nonNull.type, in: schema)
        default: nil
        }
    }

    private static func check(_ value: Map, _ type: any GraphQLType, depth: Int) -> String? {
        guard depth < GraphQLLimits.maximumNesting else { return nil }
        switch type {
        case let nonNull as GraphQLNonNull:
            return check(value, nonNull.ofType, depth: depth + 1)
        case let list as GraphQLList:
            guard case .array(let items) = value else { return check(value, list.ofType, depth: depth + 1) }  // one value coerces to a list
            for item in items {
                if let problem = check(item, list.ofType, depth: depth + 1) { return problem }
            }
            return nil
        case let enumeration as GraphQLEnumType:
            switch value {
            case .null, .undefined: return nil
            case .string(let text) where enumeration.nameLookup[text] != nil: return nil
            case .string(let text): return "Value \"\(text.prefix(100))\" does not exist in \"\(enumeration.name)\" enum."
            default: return "Enum \"\(enumeration.name)\" cannot represent a non-string value."
            }
        case let input as GraphQLInputObjectType:
            guard case .dictionary(let given) = value, let fields = try? input.fields() else { return nil }
            for (name, item) in given {
                if let field = fields[name], let problem = check(item, field.type, depth: depth + 1) { return problem }
            }
            return nil
        default:
            return nil
        }
    }
}
