/// One aggregate a connection offers (Twenty's names): `totalCount`, `countEmptyName`, `sumEmployees`,
/// `avgAnnualRecurringRevenueAmountMicros`, `minCreatedAt`, `countTrueIdealCustomerProfile`, …
public struct AggregateField: Sendable, Hashable {
    /// Twenty's `AggregateOperations`.
    public enum Operation: String, Sendable, Hashable {
        case count, countEmpty, countNotEmpty, countUniqueValues, percentageEmpty, percentageNotEmpty
        case min, max, avg, sum, countTrue, countFalse
    }

    /// What the aggregate's value is, for the API's type.
    public enum Result: Sendable, Hashable {
        case int, float, dateTime, date
    }

    /// The name on the connection (`sumEmployees`).
    public let name: String
    public let operation: Operation
    /// The field aggregated; `nil` for `totalCount`.
    public let field: String?
    /// For composite fields, the property a numeric operation reads (`amountMicros`).
    public let property: String?
    public let result: Result

    /// `totalCount`: every matching record.
    public static let totalCount = AggregateField("totalCount", .count, field: nil, result: .int)

    init(_ name: String, _ operation: Operation, field: String?, property: String? = nil, result: Result) {
        self.name = name
        self.operation = operation
        self.field = field
        self.property = property
        self.result = result
    }
}

extension WorkspaceSchema.Object {
    /// The aggregates of this object's connections, in Twenty's order: `totalCount`, then per non-relation field the
    /// counts and percentages, and the type's own (min/max/avg/sum for numbers and currency amounts, min/max for dates,
    /// countTrue/countFalse for booleans).
    public var aggregateFields: [AggregateField] {
        var result = [AggregateField.totalCount]
        for field in fields where field.isActive {
            switch field.storage {
            case .hidden, .foreignKey, .oneToMany, .morph: continue
            case .scalar, .composite: break
            }
            let name = field.name.capitalizedFirst
            result.append(AggregateField("countUniqueValues" + name, .countUniqueValues, field: field.name, result: .int))
            result.append(AggregateField("countEmpty" + name, .countEmpty, field: field.name, result: .int))
            result.append(AggregateField("countNotEmpty" + name, .countNotEmpty, field: field.name, result: .int))
            result.append(AggregateField("percentageEmpty" + name, .percentageEmpty, field: field.name, result: .float))
            result.append(AggregateField("percentageNotEmpty" + name, .percentageNotEmpty, field: field.name, result: .float))
            switch field.type {
            case .dateTime, .date:
                let kind: AggregateField.Result = field.type == .date ? .date : .dateTime
                result.append(AggregateField("min" + name, .min, field: field.name, result: kind))
                result.append(AggregateField("max" + name, .max, field: field.name, result: kind))
            case .number, .numeric:
                for operation in [AggregateField.Operation.min, .max, .avg, .sum] {
                    result.append(AggregateField(operation.rawValue + name, operation, field: field.name, result: .float))
                }
            case .currency:
                for operation in [AggregateField.Operation.min, .max, .avg, .sum] {
                    result.append(AggregateField(operation.rawValue + name + "AmountMicros", operation, field: field.name,
                                                 property: "amountMicros", result: .float))
                }
            case .boolean:
                result.append(AggregateField("countTrue" + name, .countTrue, field: field.name, result: .int))
                result.append(AggregateField("countFalse" + name, .countFalse, field: field.name, result: .int))
            default:
                break
            }
        }
        return result
    }
}
