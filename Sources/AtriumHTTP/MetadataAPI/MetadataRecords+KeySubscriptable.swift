import AtriumCore
import GraphQL

// The `/metadata` schema resolves most of `Object`'s and `Field`'s fields with GraphQLSwift's default resolver, which
// reads a property by name through `Mirror` unless the value is `KeySubscriptable`: reflecting over every property
// for every field of every object made one `objects { fieldsList { … } }` cost a third of a second of CPU
// (`bench/noisy-neighbor`). These switches read a property directly.

extension ObjectMetadataRecord: KeySubscriptable {
    public subscript(key: String) -> (any Sendable)? {
        switch key {
        case "id": id
        case "dataSourceId": dataSourceId
        case "nameSingular": nameSingular
        case "namePlural": namePlural
        case "labelSingular": labelSingular
        case "labelPlural": labelPlural
        case "description": description
        case "icon": icon
        case "shortcut": shortcut
        case "isCustom": isCustom
        case "isRemote": isRemote
        case "isActive": isActive
        case "isSystem": isSystem
        case "isUIReadOnly": isUIReadOnly
        case "isSearchable": isSearchable
        case "isAuditLogged": isAuditLogged
        case "isLabelSyncedWithName": isLabelSyncedWithName
        case "labelIdentifierFieldMetadataId": labelIdentifierFieldMetadataId
        case "imageIdentifierFieldMetadataId": imageIdentifierFieldMetadataId
        case "duplicateCriteria": duplicateCriteria
        case "createdAt": createdAt
        case "updatedAt": updatedAt
        default: nil
        }
    }
}

extension FieldMetadataRecord: KeySubscriptable {
    public subscript(key: String) -> (any Sendable)? {
        switch key {
        case "id": id
        case "objectMetadataId": objectMetadataId
        case "type": type
        case "name": name
        case "label": label
        case "description": description
        case "icon": icon
        case "isCustom": isCustom
        case "isActive": isActive
        case "isSystem": isSystem
        case "isUIReadOnly": isUIReadOnly
        case "isNullable": isNullable
        case "isUnique": isUnique
        case "isLabelSyncedWithName": isLabelSyncedWithName
        case "defaultValue": defaultValue
        case "options": options
        case "settings": settings
        case "morphId": morphId
        case "relationTargetFieldMetadataId": relationTargetFieldMetadataId
        case "relationTargetObjectMetadataId": relationTargetObjectMetadataId
        case "createdAt": createdAt
        case "updatedAt": updatedAt
        default: nil
        }
    }
}

extension RelationRecord: KeySubscriptable {
    public subscript(key: String) -> (any Sendable)? {
        switch key {
        case "type": type
        case "sourceObjectMetadata": sourceObjectMetadata
        case "targetObjectMetadata": targetObjectMetadata
        case "sourceFieldMetadata": sourceFieldMetadata
        case "targetFieldMetadata": targetFieldMetadata
        default: nil
        }
    }
}
