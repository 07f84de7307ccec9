import AtriumCore

/// JSON Schemas of one object's records for the OpenAPI document: the create body (`Company`), the update body
/// (`CompanyForUpdate`) and the response record (`CompanyForResponse`), from the workspace's metadata.
///
/// A value that may be null says so (OpenAPI 3.1: `"type": ["string", "null"]`, `null` among an enum's values, a
/// reference `oneOf` itself or `null`), so a client generated from the document accepts every response: nullable
/// fields and foreign keys everywhere, and in responses also a composite field's parts and a to-one relation.
struct OpenAPISchemas {
    let object: WorkspaceSchema.Object

    var name: String { object.nameSingular.prefix(1).uppercased() + object.nameSingular.dropFirst() }

    /// `Company`, `CompanyForUpdate`, `CompanyForResponse`.
    func all() -> [String: JSONValue] {
        [name: record(.create), name + "ForUpdate": record(.update), name + "ForResponse": record(.response)]
    }

    enum Purpose { case create, update, response }

    private static let systemReadOnly: Set<String> = ["id", "createdAt", "updatedAt", "deletedAt"]

    func record(_ purpose: Purpose) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        var required: [JSONValue] = []
        for field in object.fields where field.isActive {
            let described = Self.describe(field.description)
            if purpose != .response, Self.systemReadOnly.contains(field.name) { continue }
            switch field.storage {
            case .hidden:
                continue
            case .scalar:
                let schema = Self.scalarSchema(field)
                properties[field.name] = Self.merge(field.isNullable ? Self.nullable(schema) : schema, described)
                if purpose == .create, !field.isNullable, field.defaultValue == nil, field.name != "id" { required.append(.string(field.name)) }
            case .composite(let properties_):
                var inner: [String: JSONValue] = [:]
                for (property, column) in properties_ {
                    let schema = Self.columnSchema(column, field: field, property: property)
                    inner[property] = purpose == .response ? Self.nullable(schema) : schema
                }
                properties[field.name] = Self.merge(["type": "object", "properties": .object(inner)], described)
            case .foreignKey(let column, let target):
                let key: JSONValue = ["type": "string", "format": "uuid"]
                properties[column.name] = field.isNullable ? Self.nullable(key) : key
                if purpose == .response {
                    let record: JSONValue = ["$ref": .string("#/components/schemas/\(Self.typeName(target))ForResponse")]
                    properties[field.name] = Self.merge(Self.nullable(record), described)
                }
            case .morph(let targets):
                for (column, _) in targets { properties[column.name] = Self.nullable(["type": "string", "format": "uuid"]) }
            case .oneToMany(let target, _):
                if purpose == .response {
                    properties[field.name] = Self.merge(["type": "array", "items": ["$ref": .string("#/components/schemas/\(Self.typeName(target))ForResponse")]], described)
                }
            }
        }
        var schema: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required) }
        return .object(schema)
    }

    static func typeName(_ object: WorkspaceSchema.Object) -> String {
        object.nameSingular.prefix(1).uppercased() + object.nameSingular.dropFirst()
    }

    private static func describe(_ text: String?) -> [String: JSONValue] {
        text.map { ["description": .string($0)] } ?? [:]
    }

    /// `schema` or null: the type gains `"null"` (and an enum the value `null`); a reference becomes `oneOf` it or null.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var values) = schema else { return schema }
        if values["$ref"] != nil { return ["oneOf": [schema, ["type": "null"]]] }
        switch values["type"] {
        case .string(let type)?: values["type"] = [.string(type), "null"]
        case .array(let types)? where !types.contains("null"): values["type"] = .array(types + ["null"])
        default: break
        }
        if case .array(let options)? = values["enum"], !options.contains(.null) { values["enum"] = .array(options + [.null]) }
        return .object(values)
    }

    private static func merge(_ schema: JSONValue, _ extra: [String: JSONValue]) -> JSONValue {
        guard case .object(var values) = schema else { return schema }
        values.merge(extra) { current, _ in current }
        return .object(values)
    }

    static func scalarSchema(_ field: WorkspaceSchema.Field) -> JSONValue {
        switch field.type {
        case .uuid: return ["type": "string", "format": "uuid"]
        case .number:
            // As Twenty: a float, or a number shown with decimals, is a `number`; anything else an `integer`.
            guard case .object(let settings)? = field.settings else { return ["type": "integer"] }
            if case .string("float")? = settings["dataType"] { return ["type": "number"] }
            if case .number(let decimals)? = settings["decimals"], decimals > 0 { return ["type": "number"] }
            return ["type": "integer"]
        case .numeric, .position: return ["type": "number"]
        case .boolean: return ["type": "boolean"]
        case .dateTime: return ["type": "string", "format": "date-time"]
        case .date: return ["type": "string", "format": "date"]
        case .select: return ["type": "string", "enum": .array((field.options ?? []).map { .string($0.value) })]
        case .rating: return ["type": "string", "enum": .array(RatingValues.values.map { .string($0) })]
        case .multiSelect:
            return ["type": "array", "items": ["type": "string", "enum": .array((field.options ?? []).map { .string($0.value) })]]
        case .array: return ["type": "array", "items": ["type": "string"]]
        case .rawJSON: return ["type": "object"]
        case .files: return ["type": "array", "items": ["type": "object"]]
        default: return ["type": "string"]
        }
    }

    static func columnSchema(_ column: RecordColumn, field: WorkspaceSchema.Field, property: String) -> JSONValue {
        switch column.type {
        case .uuid: return ["type": "string", "format": "uuid"]
        case .float, .numeric: return ["type": "number"]
        case .boolean: return ["type": "boolean"]
        case .timestamptz: return ["type": "string", "format": "date-time"]
        case .date: return ["type": "string", "format": "date"]
        case .enumeration where field.type == .actor: return ["type": "string", "enum": .array(ActorSource.values.map { .string($0) })]
        case .jsonb:
            switch property {
            case "additionalEmails": return ["type": "array", "items": ["type": "string", "format": "email"]]
            case "secondaryLinks": return ["type": "array", "items": ["type": "object", "properties": ["label": ["type": "string"], "url": ["type": "string"]]]]
            case "additionalPhones": return ["type": "array", "items": ["type": "object"]]
            default: return ["type": "object"]
            }
        default: return ["type": "string"]
        }
    }
}
