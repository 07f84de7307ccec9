import AtriumCore
import Foundation

/// Metadata records as the JSON the REST metadata API answers with (Twenty's `Object` and `Field` shapes).
enum MetadataJSON {
    /// An object; with `fields`, its fields too (as Twenty's object page lists them).
    static func object(_ object: ObjectMetadataRecord, catalog: MetadataCatalog, withFields: Bool = true) -> JSONValue {
        var json = encoded(object, nullable: ["dataSourceId", "description", "icon", "shortcut", "labelIdentifierFieldMetadataId",
                                                "imageIdentifierFieldMetadataId", "duplicateCriteria"])
        if withFields {
            json["fields"] = .array(catalog.fields(of: object.id).map { field($0, catalog: catalog) })
        }
        return .object(json)
    }

    /// A field, with `relation` (both sides, by id and name) for RELATION fields and `null` otherwise.
    static func field(_ field: FieldMetadataRecord, catalog: MetadataCatalog) -> JSONValue {
        var json = encoded(field, nullable: ["description", "icon", "defaultValue", "options", "settings", "morphId"])
        json["relationTargetFieldMetadataId"] = nil
        json["relationTargetObjectMetadataId"] = nil
        if let relation = catalog.relation(of: field) {
            json["relation"] = [
                "type": .string(relation.type.rawValue),
                "sourceObjectMetadata": objectReference(relation.sourceObjectMetadata),
                "targetObjectMetadata": objectReference(relation.targetObjectMetadata),
                "sourceFieldMetadata": ["id": .string(relation.sourceFieldMetadata.id.lowercased), "name": .string(relation.sourceFieldMetadata.name)],
                "targetFieldMetadata": ["id": .string(relation.targetFieldMetadata.id.lowercased), "name": .string(relation.targetFieldMetadata.name)],
            ]
        } else {
            json["relation"] = .null
        }
        return .object(json)
    }

    private static func objectReference(_ object: ObjectMetadataRecord) -> JSONValue {
        ["id": .string(object.id.lowercased), "nameSingular": .string(object.nameSingular), "namePlural": .string(object.namePlural)]
    }

    /// A record's properties as JSON, ids lower-cased, absent optionals as `null`.
    private static func encoded(_ value: some Encodable, nullable: [String]) -> [String: JSONValue] {
        guard let data = try? JSONEncoder().encode(value), case .object(var json)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return [:]
        }
        for key in nullable where json[key] == nil { json[key] = .null }
        for (key, item) in json {
            if case .string(let text) = item, let id = UUID(text: text), text.count == 36 { json[key] = .string(id.lowercased) }
        }
        return json
    }
}
