import Foundation

/// The `core."objectMetadata"` and `core."fieldMetadata"` rows of a set of object definitions, with ids assigned
/// and relations linked (each relation field points at its inverse field and target object).
struct MetadataRows: Sendable {
    /// One `core."objectMetadata"` row.
    struct Object: Encodable, Sendable {
        let id: UUID
        let nameSingular: String
        let namePlural: String
        let labelSingular: String
        let labelPlural: String
        let description: String?
        let icon: String?
        let targetTableName: String
        let isCustom: Bool
        let isSystem: Bool
        let isAuditLogged: Bool
        let isSearchable: Bool
        let duplicateCriteria: [[String]]?
        let labelIdentifierFieldMetadataId: UUID?
        let imageIdentifierFieldMetadataId: UUID?
    }

    /// One `core."fieldMetadata"` row.
    struct Field: Encodable, Sendable {
        let id: UUID
        let objectMetadataId: UUID
        let type: String
        let name: String
        let label: String
        let defaultValue: JSONValue?
        let description: String?
        let icon: String?
        let options: [FieldOptionRow]?
        let settings: JSONValue?
        let isCustom: Bool
        let isSystem: Bool
        let isUIReadOnly: Bool
        let isNullable: Bool
        let isUnique: Bool
        let relationTargetFieldMetadataId: UUID?
        let relationTargetObjectMetadataId: UUID?
    }

    /// A SELECT option as stored: with its own id, as Twenty stores it.
    struct FieldOptionRow: Encodable, Sendable {
        let id: UUID
        let value: String
        let label: String
        let position: Int
        let color: String
    }

    var objects: [Object] = []
    var fields: [Field] = []

    /// Assigns ids and links relations.
    /// - Throws: ``FieldDefinitionError`` when a relation's target object or inverse field does not exist.
    init(_ definitions: [ObjectDefinition]) throws {
        var objectIDs: [String: UUID] = [:]
        var fieldIDs: [String: UUID] = [:]  // "object.field"
        for object in definitions {
            objectIDs[object.nameSingular] = UUID()
            for field in object.allFields { fieldIDs["\(object.nameSingular).\(field.name)"] = UUID() }
        }
        for object in definitions {
            let objectID = objectIDs[object.nameSingular]!
            objects.append(Object(
                id: objectID,
                nameSingular: object.nameSingular,
                namePlural: object.namePlural,
                labelSingular: object.labelSingular,
                labelPlural: object.labelPlural,
                description: object.description,
                icon: object.icon,
                targetTableName: object.tableName,
                isCustom: object.isCustom,
                isSystem: object.isSystem,
                isAuditLogged: object.isAuditLogged,
                isSearchable: object.isSearchable,
                duplicateCriteria: object.duplicateCriteria.isEmpty ? nil : object.duplicateCriteria,
                labelIdentifierFieldMetadataId: fieldIDs["\(object.nameSingular).\(object.labelIdentifierField)"],
                imageIdentifierFieldMetadataId: object.imageIdentifierField.flatMap { fieldIDs["\(object.nameSingular).\($0)"] }
            ))
            for field in object.allFields {
                var targetField: UUID?
                var targetObject: UUID?
                if let relation = field.relation {
                    guard let target = objectIDs[relation.targetObject],
                          let inverse = fieldIDs["\(relation.targetObject).\(relation.inverseField)"]
                    else {
                        throw FieldDefinitionError(
                            field: "\(object.nameSingular).\(field.name)",
                            reason: "relation target \(relation.targetObject).\(relation.inverseField) does not exist"
                        )
                    }
                    targetObject = target
                    targetField = inverse
                }
                fields.append(Self.fieldRow(
                    field, id: fieldIDs["\(object.nameSingular).\(field.name)"]!, objectID: objectID, isCustom: object.isCustom,
                    targetObjectID: targetObject, targetFieldID: targetField
                ))
            }
        }
    }

    /// Rows built by the caller (metadata changes), to insert with ``insert(workspace:on:logger:)``.
    init(objects: [Object], fields: [Field]) {
        self.objects = objects
        self.fields = fields
    }

    /// The row of `field`: a relation's settings get `relationType`, and on the many-to-one side `onDelete` and
    /// `joinColumnName`; options get ids.
    static func fieldRow(
        _ field: FieldDefinition, id: UUID, objectID: UUID, isCustom: Bool, targetObjectID: UUID?, targetFieldID: UUID?,
        optionIDs: [UUID?]? = nil
    ) -> Field {
        var settings = field.settings
        if let relation = field.relation {
            var relationSettings: [String: JSONValue] = ["relationType": .string(relation.type.rawValue)]
            if relation.type == .manyToOne {
                relationSettings["onDelete"] = .string((relation.onDelete ?? .setNull).rawValue)
                relationSettings["joinColumnName"] = .string(field.name + "Id")
            }
            if case .object(let extra)? = field.settings {
                relationSettings.merge(extra) { _, explicit in explicit }
            }
            settings = .object(relationSettings)
        }
        return Field(
            id: id,
            objectMetadataId: objectID,
            type: field.type.rawValue,
            name: field.name,
            label: field.label,
            defaultValue: field.defaultValue,
            description: field.description,
            icon: field.icon,
            options: field.options?.enumerated().map { offset, option in
                let given = optionIDs.flatMap { offset < $0.count ? $0[offset] : nil }
                return FieldOptionRow(id: given ?? UUID(), value: option.value, label: option.label, position: option.position, color: option.color)
            },
            settings: settings,
            isCustom: isCustom,
            isSystem: field.isSystem,
            isUIReadOnly: field.isUIReadOnly,
            isNullable: field.isNullable,
            isUnique: field.isUnique,
            relationTargetFieldMetadataId: targetFieldID,
            relationTargetObjectMetadataId: targetObjectID
        )
    }

    /// The rows as JSON arrays, for `jsonb_to_recordset`.
    func encoded() throws -> (objects: String, fields: String) {
        let encoder = JSONEncoder()
        return (String(decoding: try encoder.encode(objects), as: UTF8.self), String(decoding: try encoder.encode(fields), as: UTF8.self))
    }
}
