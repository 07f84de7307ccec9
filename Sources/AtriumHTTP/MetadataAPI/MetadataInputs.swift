import AtriumCore
import Foundation

/// Reads the metadata API's inputs (Twenty's `CreateObjectInput`, `UpdateObjectPayload`, `CreateFieldInput`,
/// `UpdateFieldInput`) from JSON, for both the REST bodies and the GraphQL arguments.
///
/// Unknown keys are ignored, as Twenty's REST layer does; a missing required key or a value of the wrong type is a
/// 400 naming the key.
enum MetadataInputs {
    typealias Object = [String: JSONValue]

    static func objectCreation(_ input: Object) throws -> ObjectCreation {
        ObjectCreation(
            nameSingular: try required(input, "nameSingular"), namePlural: try required(input, "namePlural"),
            labelSingular: try required(input, "labelSingular"), labelPlural: try required(input, "labelPlural"),
            description: try string(input, "description"), icon: try string(input, "icon"), shortcut: try string(input, "shortcut"),
            isLabelSyncedWithName: try bool(input, "isLabelSyncedWithName") ?? false
        )
    }

    static func objectUpdate(_ input: Object) throws -> ObjectUpdate {
        var update = ObjectUpdate()
        update.nameSingular = try string(input, "nameSingular")
        update.namePlural = try string(input, "namePlural")
        update.labelSingular = try string(input, "labelSingular")
        update.labelPlural = try string(input, "labelPlural")
        update.description = try nullable(input, "description", string)
        update.icon = try nullable(input, "icon", string)
        update.shortcut = try nullable(input, "shortcut", string)
        update.isActive = try bool(input, "isActive")
        update.isLabelSyncedWithName = try bool(input, "isLabelSyncedWithName")
        update.labelIdentifierFieldMetadataId = try uuid(input, "labelIdentifierFieldMetadataId")
        update.imageIdentifierFieldMetadataId = try nullable(input, "imageIdentifierFieldMetadataId", uuid)
        return update
    }

    static func fieldCreation(_ input: Object) throws -> FieldCreation {
        let typeName: String = try required(input, "type")
        guard let type = FieldType(rawValue: typeName) else {
            throw AtriumError(.validationFailed, "Invalid field type \"\(typeName)\"; expected one of \(FieldType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let objectID = try uuid(input, "objectMetadataId") else {
            throw AtriumError(.validationFailed, "objectMetadataId is required")
        }
        var creation = FieldCreation(
            objectMetadataId: objectID, type: type, name: try required(input, "name"), label: try required(input, "label"),
            description: try string(input, "description"), icon: try string(input, "icon"),
            defaultValue: input["defaultValue"].flatMap { $0 == .null ? nil : $0 }, options: try options(input["options"]),
            settings: input["settings"].flatMap { $0 == .null ? nil : $0 },
            isNullable: try bool(input, "isNullable") ?? true, isUnique: try bool(input, "isUnique") ?? false,
            isActive: try bool(input, "isActive") ?? true, isLabelSyncedWithName: try bool(input, "isLabelSyncedWithName") ?? false
        )
        var onDelete = RelationOnDelete.setNull
        if case .object(let settings)? = input["settings"], let raw = try string(settings, "onDelete") {
            guard let parsed = RelationOnDelete(rawValue: raw) else {
                throw AtriumError(.validationFailed, "Invalid onDelete \"\(raw)\"; expected CASCADE, RESTRICT, SET_NULL or NO_ACTION")
            }
            onDelete = parsed
        }
        switch input["relationCreationPayload"] {
        case .object(let payload)?:
            creation.relation = try relationCreation(payload, onDelete: onDelete, name: "relationCreationPayload")
        case nil, .null?:
            break
        default:
            throw AtriumError(.validationFailed, "relationCreationPayload must be an object")
        }
        switch input["morphRelationsCreationPayload"] {
        case .array(let payloads)?:
            creation.morphRelations = try payloads.enumerated().map { index, payload in
                guard case .object(let object) = payload else {
                    throw AtriumError(.validationFailed, "morphRelationsCreationPayload[\(index)] must be an object")
                }
                return try relationCreation(object, onDelete: onDelete, name: "morphRelationsCreationPayload[\(index)]")
            }
        case nil, .null?:
            break
        default:
            throw AtriumError(.validationFailed, "morphRelationsCreationPayload must be an array")
        }
        return creation
    }

    /// One relation payload (`relationCreationPayload` or an entry of `morphRelationsCreationPayload`).
    private static func relationCreation(_ payload: Object, onDelete: RelationOnDelete, name: String) throws -> RelationCreation {
        guard let target = try uuid(payload, "targetObjectMetadataId") else {
            throw AtriumError(.validationFailed, "\(name).targetObjectMetadataId is required")
        }
        let typeName = try string(payload, "type") ?? RelationType.manyToOne.rawValue
        guard let relationType = RelationType(rawValue: typeName) else {
            throw AtriumError(.validationFailed, "Invalid relation type \"\(typeName)\"; expected MANY_TO_ONE or ONE_TO_MANY")
        }
        return RelationCreation(
            targetObjectMetadataId: target, targetFieldLabel: try string(payload, "targetFieldLabel"),
            targetFieldIcon: try string(payload, "targetFieldIcon"), type: relationType, onDelete: onDelete
        )
    }

    static func fieldUpdate(_ input: Object) throws -> FieldUpdate {
        var update = FieldUpdate()
        update.name = try string(input, "name")
        update.label = try string(input, "label")
        update.description = try nullable(input, "description", string)
        update.icon = try nullable(input, "icon", string)
        update.isActive = try bool(input, "isActive")
        update.isLabelSyncedWithName = try bool(input, "isLabelSyncedWithName")
        if let value = input["defaultValue"] { update.defaultValue = .some(value == .null ? nil : value) }
        if let value = input["settings"] { update.settings = .some(value == .null ? nil : value) }
        update.options = try options(input["options"])
        return update
    }

    // MARK: - Values

    static func required(_ input: Object, _ key: String) throws -> String {
        guard let value = try string(input, key) else { throw AtriumError(.validationFailed, "\(key) is required") }
        return value
    }

    static func string(_ input: Object, _ key: String) throws -> String? {
        switch input[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw AtriumError(.validationFailed, "\(key) must be a string")
        }
    }

    static func bool(_ input: Object, _ key: String) throws -> Bool? {
        switch input[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw AtriumError(.validationFailed, "\(key) must be a boolean")
        }
    }

    static func uuid(_ input: Object, _ key: String) throws -> UUID? {
        guard let text = try string(input, key) else { return nil }
        guard let id = UUID(text: text) else { throw AtriumError(.validationFailed, "\(key) must be a UUID") }
        return id
    }

    /// `.some(nil)` when the key is present with null, `nil` when absent.
    static func nullable<T>(_ input: Object, _ key: String, _ read: (Object, String) throws -> T?) throws -> T?? {
        guard let value = input[key] else { return nil }
        if value == .null { return .some(nil) }
        return .some(try read(input, key))
    }

    static func options(_ value: JSONValue?) throws -> [FieldOptionInput]? {
        switch value {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.enumerated().map { index, item in
                guard case .object(let option) = item else { throw AtriumError(.validationFailed, "Each option must be an object") }
                let position = try WholeNumber.optional(option["position"], "options[\(index)].position", in: WholeNumber.int32)
                return FieldOptionInput(id: try uuid(option, "id"), value: try required(option, "value"), label: try required(option, "label"),
                                        position: position, color: try string(option, "color"))
            }
        default:
            throw AtriumError(.validationFailed, "options must be an array")
        }
    }
}
