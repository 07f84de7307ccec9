import Foundation

/// What one column is set to by a write.
enum ColumnWrite: Hashable {
    /// A value bound as text and cast to the column's type.
    case value(String)
    /// A list bound as `text[]` and cast to the column's array type.
    case values([String])
    case null
    /// Trusted SQL (`now()`), never built from input.
    case expression(String)
}

/// A record's input (a JSON object from either API) checked against its object's fields and turned into column writes.
///
/// Unknown fields, read-only fields, values of the wrong type, invalid enum values, UUIDs, dates, emails and currency
/// codes are refused with a message naming the field.
struct RecordInput {
    enum Purpose { case create, update }

    /// Column name → write, in the order fields were given.
    private(set) var writes: [(column: RecordColumn, write: ColumnWrite)] = []
    /// The id given on create, if any.
    private(set) var id: String?

    /// Fields nobody writes through the APIs.
    static let readOnly: Set<String> = ["createdAt", "updatedAt", "deletedAt", "searchVector"]

    init(_ input: JSONValue, object: WorkspaceSchema.Object, purpose: Purpose, actor: RecordActor) throws {
        guard case .object(let values) = input else {
            throw AtriumError(.badRequest, "A \(object.nameSingular) must be given as a JSON object")
        }
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            try add(key, value, object: object, purpose: purpose)
        }
        let now = ColumnWrite.expression("now()")
        switch purpose {
        case .create:
            if object.field(named: "createdBy") != nil, !writes.contains(where: { $0.column.name.hasPrefix("createdBy") }) {
                try setActor("createdBy", actor, object: object)
            }
            if object.field(named: "updatedBy") != nil, !writes.contains(where: { $0.column.name.hasPrefix("updatedBy") }) {
                try setActor("updatedBy", actor, object: object)
            }
            if let position = object.field(named: "position"), case .scalar(let column) = position.storage,
               !writes.contains(where: { $0.column.name == "position" })
            {
                // New records come last in manual order, without reading the table.
                writes.append((column, .expression("extract(epoch from clock_timestamp())")))
            }
        case .update:
            if object.field(named: "updatedAt") != nil { writes.append((RecordColumn("updatedAt", .timestamptz, table: object.targetTableName), now)) }
            // As on create, an `updatedBy` the input gives is kept (an import carrying its history).
            if object.field(named: "updatedBy") != nil, !writes.contains(where: { $0.column.name.hasPrefix("updatedBy") }) {
                try setActor("updatedBy", actor, object: object)
            }
        }
    }

    private mutating func add(_ key: String, _ value: JSONValue, object: WorkspaceSchema.Object, purpose: Purpose) throws {
        if key == "id" {
            guard purpose == .create else { throw AtriumError(.validationFailed, "Field 'id' cannot be updated") }
            guard case .string(let text) = value, UUID(text: text) != nil else {
                throw AtriumError(.validationFailed, "Invalid value for field 'id': not a valid UUID")
            }
            id = text
            writes.append((RecordColumn("id", .uuid, table: object.targetTableName), .value(text)))
            return
        }
        if Self.readOnly.contains(key) { throw AtriumError(.validationFailed, "Field '\(key)' is read-only") }
        guard let field = object.field(named: key), field.isActive else {
            let target: ResolvedColumn
            if let morph = try? object.resolveForeignKey(key + "Id"), morph.field.type == .morphRelation {
                target = morph  // Twenty's OpenAPI names a morph target `targetCompany` (its id) in inputs
            } else {
                target = try object.resolveForeignKey(key)
            }
            writes.append((target.column, try Self.scalar(value, target)))
            return
        }
        switch field.storage {
        case .scalar(let column):
            let target = ResolvedColumn(field: field, column: column, label: key)
            if value == .null, !field.isNullable { throw AtriumError(.validationFailed, "Field '\(key)' cannot be null") }
            writes.append((column, try Self.scalar(value, target)))
        case .composite(let properties):
            switch value {
            case .null:
                for property in properties { writes.append((property.column, .null)) }
            case .object(let given):
                for (name, propertyValue) in given.sorted(by: { $0.key < $1.key }) {
                    guard let property = properties.first(where: { $0.property == name }) else {
                        throw AtriumError(.validationFailed, "Field '\(key)' has no property '\(name)'; its properties are "
                            + properties.map(\.property).joined(separator: ", "))
                    }
                    let target = ResolvedColumn(field: field, column: property.column, label: "\(key).\(name)")
                    let write = try Self.scalar(propertyValue, target)
                    try Self.checkProperty(field.type, name, write, label: target.label)
                    writes.append((property.column, write))
                }
            default:
                throw AtriumError(.validationFailed, "Invalid value for field '\(key)': expected an object with "
                    + properties.map(\.property).joined(separator: ", "))
            }
        case .foreignKey(let column, _):
            throw AtriumError(.validationFailed, "Field '\(key)' is a relation: set '\(column.name)' to the related record's id")
        case .oneToMany, .morph:
            throw AtriumError(.validationFailed, "Field '\(key)' is a relation that cannot be written from this side")
        case .hidden:
            throw AtriumError(.validationFailed, "Field '\(key)' is read-only")
        }
    }

    private mutating func setActor(_ name: String, _ actor: RecordActor, object: WorkspaceSchema.Object) throws {
        guard let field = object.field(named: name), case .composite(let properties) = field.storage else { return }
        for property in properties {
            let write: ColumnWrite = switch property.property {
            case "source": .value(actor.source)
            case "workspaceMemberId": actor.workspaceMemberID.map { .value($0.uuidString) } ?? .null
            case "name": .value(actor.name)
            default: .value("{}")
            }
            writes.append((property.column, write))
        }
    }

    /// One column's value from JSON.
    static func scalar(_ value: JSONValue, _ target: ResolvedColumn) throws -> ColumnWrite {
        let checker = target.value
        let column = target.column
        if value == .null { return .null }
        switch column.type {
        case .jsonb:
            let data = try JSONEncoder().encode(value)
            return .value(String(decoding: data, as: UTF8.self))
        case .textArray, .enumerationArray:
            guard case .array(let elements) = value else { throw checker.invalid("expected an array of strings") }
            return .values(try elements.map { element in
                guard case .string(let text) = element else { throw checker.invalid("expected an array of strings") }
                return try checker.text(text)
            })
        case .float, .numeric:
            switch value {
            case .number(let number):
                if target.field.type == .number, let problem = NumberDataType(settings: target.field.settings).problem(with: number) {
                    throw checker.invalid(problem)
                }
                return .value(try checker.text(Self.numberText(number)))
            case .string(let text) where column.type == .numeric: return .value(try checker.text(text))
            default: throw checker.invalid("expected a number")
            }
        case .boolean:
            guard case .bool(let flag) = value else { throw checker.invalid("expected true or false") }
            return .value(flag ? "true" : "false")
        default:
            guard case .string(let text) = value else { throw checker.invalid("expected a string") }
            return .value(try checker.text(text))
        }
    }

    /// Checks of composite properties beyond their column type: currency codes and email addresses.
    static func checkProperty(_ type: FieldType, _ property: String, _ write: ColumnWrite, label: String) throws {
        func fail(_ problem: String) -> AtriumError { AtriumError(.validationFailed, "Invalid value for field '\(label)': \(problem)") }
        switch (type, property, write) {
        case (.currency, "currencyCode", .value(let code)):
            guard code.isEmpty || (code.count == 3 && code.allSatisfy({ $0.isASCII && $0.isUppercase })) else {
                throw fail("'\(code)' is not an ISO 4217 currency code")
            }
        case (.emails, "primaryEmail", .value(let email)):
            guard email.isEmpty || isEmail(email) else { throw fail("'\(email)' is not an email address") }
        case (.emails, "additionalEmails", .value(let json)):
            let decoded = try? JSONDecoder().decode([String].self, from: Data(json.utf8))
            guard let emails = decoded, emails.allSatisfy(isEmail) else { throw fail("expected an array of email addresses") }
        default:
            break
        }
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(where: \.isWhitespace)
    }

    /// A JSON number as PostgreSQL reads it, integers without a fraction.
    static func numberText(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }
}

extension WorkspaceSchema.Object {
    /// The column of a relation's `<name>Id` or a morph relation's `<name><Target>Id`.
    func resolveForeignKey(_ name: String) throws -> ResolvedColumn {
        let resolved = try resolve(FieldPath(name))
        guard resolved.column.name == name, resolved.column.type == .uuid else {
            throw AtriumError(.validationFailed, "Object '\(nameSingular)' has no field '\(name)'")
        }
        return resolved
    }
}
