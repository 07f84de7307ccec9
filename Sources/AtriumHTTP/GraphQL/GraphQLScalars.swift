import AtriumCore
import Foundation
import GraphQL
import OrderedCollections

/// Twenty's scalars and the filter inputs shared by every workspace schema (`StringFilter`, `UUIDFilter`, …).
///
/// Values are checked only for their GraphQL shape here; the record engine checks them for the column they address,
/// exactly as for REST, so both APIs accept and refuse the same things.
enum GraphQLScalars {
    static let uuid = try! GraphQLScalarType(
        name: "UUID", description: "A UUID",
        parseValue: { value in
            guard case .string(let text) = value, UUID(text: text) != nil else {
                throw GraphQLError(message: "UUID cannot represent value: \(value)")
            }
            return value
        },
        parseLiteral: { ast in
            guard let string = ast as? StringValue, UUID(text: string.value) != nil else {
                throw GraphQLError(message: "UUID cannot represent a non-UUID value", nodes: [ast])
            }
            return .string(string.value)
        }
    )
    static let dateTime = stringScalar("DateTime", "A date-time string in ISO 8601 format")
    static let date = stringScalar("Date", "A date string (YYYY-MM-DD)")
    static let connectionCursor = stringScalar("ConnectionCursor", "Cursor for paging through collections")
    static let bigFloat = numberScalar("BigFloat", "A big floating point number, as a number or a string")
    static let position = numberScalar("Position", "A record's position in manual order")
    /// A NUMBER field whose dataType is `bigint`: a whole number literal or a JSON number, handed on as a number (the
    /// field's own check then refuses what is not a whole number within ±(2^53 − 1)). A string is refused, as for the
    /// field's other types: the value stored is a number.
    static let bigInt = try! GraphQLScalarType(
        name: "BigInt", description: "A whole number beyond Int's 32 bits",
        parseValue: { value in
            guard case .number = value else { throw GraphQLError(message: "BigInt cannot represent value: \(value)") }
            return value
        },
        parseLiteral: { ast in
            guard let literal = ast as? IntValue, let number = Double(literal.value), number.isFinite else {
                throw GraphQLError(message: "BigInt must be a whole number", nodes: [ast])
            }
            return .number(Number(number))
        }
    )
    static let rawJSON = try! GraphQLScalarType(
        name: "RawJSONScalar",
        description: "The `RawJSONScalar` scalar type represents JSON values",
        parseValue: { $0 },
        parseLiteral: { try valueFromASTUntyped(valueAST: $0) }
    )

    private static func stringScalar(_ name: String, _ description: String) -> GraphQLScalarType {
        try! GraphQLScalarType(
            name: name, description: description,
            parseValue: { value in
                guard case .string = value else { throw GraphQLError(message: "\(name) cannot represent value: \(value)") }
                return value
            },
            parseLiteral: { ast in
                guard let string = ast as? StringValue else { throw GraphQLError(message: "\(name) must be a string", nodes: [ast]) }
                return .string(string.value)
            }
        )
    }

    private static func numberScalar(_ name: String, _ description: String) -> GraphQLScalarType {
        try! GraphQLScalarType(
            name: name, description: description,
            parseValue: { value in
                switch value {
                case .number, .string: return value
                default: throw GraphQLError(message: "\(name) cannot represent value: \(value)")
                }
            },
            parseLiteral: { ast in
                switch ast {
                case let value as IntValue: return .string(value.value)
                case let value as FloatValue: return .string(value.value)
                case let value as StringValue: return .string(value.value)
                default: throw GraphQLError(message: "\(name) must be a number", nodes: [ast])
                }
            }
        )
    }

    // MARK: - Enums

    /// Twenty's `FilterIs`.
    static let filterIs = try! GraphQLEnumType(name: "FilterIs", description: "This enum to filter by nullability", values: [
        "NULL": GraphQLEnumValue(value: .string("NULL"), description: "Nulish values"),
        "NOT_NULL": GraphQLEnumValue(value: .string("NOT_NULL"), description: "Non-nulish values"),
    ])

    /// Twenty's `OrderByDirection`.
    static let orderByDirection = try! GraphQLEnumType(name: "OrderByDirection", description: "This enum is used to specify the order of results", values: [
        "AscNullsFirst": GraphQLEnumValue(value: .string("AscNullsFirst"), description: "Ascending order, nulls first"),
        "AscNullsLast": GraphQLEnumValue(value: .string("AscNullsLast"), description: "Ascending order, nulls last"),
        "DescNullsFirst": GraphQLEnumValue(value: .string("DescNullsFirst"), description: "Descending order, nulls first"),
        "DescNullsLast": GraphQLEnumValue(value: .string("DescNullsLast"), description: "Descending order, nulls last"),
    ])

    /// Twenty's `DateGranularityEnum` (its `ObjectRecordGroupByDateGranularity`).
    static let dateGranularity: GraphQLEnumType = {
        var values = GraphQLEnumValueMap()
        for granularity in GroupByQuery.Granularity.allCases {
            values[granularity.rawValue] = GraphQLEnumValue(value: .string(granularity.rawValue))
        }
        return try! GraphQLEnumType(name: "DateGranularityEnum", description: "Date granularity (e.g. day, month, quarter, year, "
            + "day of the week, quarter of the year, month of the year)", values: values)
    }()

    /// `GroupByDateGranularityInput {granularity}`: how a group-by buckets a date field.
    static let groupByDateGranularityInput = try! GraphQLInputObjectType(name: "GroupByDateGranularityInput", fields: [
        "granularity": InputObjectField(type: dateGranularity),
    ])

    /// `OrderByDateGranularityInput {orderBy, granularity}`: ordering groups by a bucketed date.
    static let orderByDateGranularityInput = try! GraphQLInputObjectType(name: "OrderByDateGranularityInput", fields: [
        "orderBy": InputObjectField(type: orderByDirection),
        "granularity": InputObjectField(type: dateGranularity),
    ])

    // MARK: - Filters

    /// The comparison filters of §5.1, limited to the comparators the shared filter compiler implements.
    static let stringFilter = comparisonFilter("StringFilter", GraphQLString, extra: ["startsWith", "endsWith", "like", "ilike"])
    static let uuidFilter = filter("UUIDFilter", ["eq": uuid, "neq": uuid, "in": GraphQLList(GraphQLNonNull(uuid)), "is": filterIs])
    static let floatFilter = comparisonFilter("FloatFilter", GraphQLFloat)
    static let intFilter = comparisonFilter("IntFilter", GraphQLInt)
    static let bigIntFilter = comparisonFilter("BigIntFilter", bigInt)
    static let bigFloatFilter = comparisonFilter("BigFloatFilter", bigFloat)
    static let dateTimeFilter = comparisonFilter("DateTimeFilter", dateTime)
    static let dateFilter = comparisonFilter("DateFilter", date)
    static let booleanFilter = filter("BooleanFilter", ["eq": GraphQLBoolean, "is": filterIs])
    static let selectFilter = filter("SelectFilter", ["in": GraphQLList(GraphQLString), "is": filterIs])
    static let multiSelectFilter = filter("MultiSelectFilter", ["containsAny": GraphQLList(GraphQLString), "is": filterIs])
    static let arrayFilter = filter("ArrayFilter", ["containsAny": GraphQLList(GraphQLString), "is": filterIs])
    static let rawJSONFilter = filter("RawJsonFilter", ["is": filterIs, "like": GraphQLString])

    private static func comparisonFilter(_ name: String, _ type: any GraphQLInputType, extra: [String] = []) -> GraphQLInputObjectType {
        var fields: [(String, any GraphQLInputType)] = [
            ("eq", type), ("gt", type), ("gte", type), ("in", GraphQLList(GraphQLNonNull(type as! (any GraphQLNullableType)))),
            ("lt", type), ("lte", type), ("neq", type),
        ]
        for name in extra { fields.append((name, type)) }
        fields.append(("is", filterIs))
        return filter(name, fields)
    }

    private static func filter(_ name: String, _ fields: KeyValuePairs<String, any GraphQLInputType>) -> GraphQLInputObjectType {
        filter(name, fields.map { ($0.key, $0.value) })
    }

    private static func filter(_ name: String, _ fields: [(String, any GraphQLInputType)]) -> GraphQLInputObjectType {
        var map = InputObjectFieldMap()
        for (key, type) in fields { map[key] = InputObjectField(type: type) }
        return try! GraphQLInputObjectType(name: name, fields: map)
    }

    /// `PageInfo`.
    static let pageInfo = try! GraphQLObjectType(name: "PageInfo", fields: [
        "startCursor": GraphQLField(type: connectionCursor),
        "endCursor": GraphQLField(type: connectionCursor),
        "hasNextPage": GraphQLField(type: GraphQLNonNull(GraphQLBoolean)),
        "hasPreviousPage": GraphQLField(type: GraphQLNonNull(GraphQLBoolean)),
    ])
}
