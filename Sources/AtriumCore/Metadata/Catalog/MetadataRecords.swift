import Foundation

/// A `core."objectMetadata"` row as the metadata API shows it (Twenty's `Object` type).
public struct ObjectMetadataRecord: Sendable, Codable, Hashable {
    public var id: UUID
    public var dataSourceId: String?
    public var nameSingular: String
    public var namePlural: String
    public var labelSingular: String
    public var labelPlural: String
    public var description: String?
    public var icon: String?
    public var shortcut: String?
    public var isCustom: Bool
    public var isRemote: Bool
    public var isActive: Bool
    public var isSystem: Bool
    public var isUIReadOnly: Bool
    public var isSearchable: Bool
    public var isAuditLogged: Bool
    public var isLabelSyncedWithName: Bool
    public var labelIdentifierFieldMetadataId: UUID?
    public var imageIdentifierFieldMetadataId: UUID?
    public var duplicateCriteria: [[String]]?
    /// ISO 8601, UTC, milliseconds (`2026-11-28T10:00:00.000Z`).
    public var createdAt: String
    public var updatedAt: String
}

/// A `core."fieldMetadata"` row as the metadata API shows it (Twenty's `Field` type).
public struct FieldMetadataRecord: Sendable, Codable, Hashable {
    public var id: UUID
    public var objectMetadataId: UUID
    /// A ``FieldType`` raw value.
    public var type: String
    public var name: String
    public var label: String
    public var description: String?
    public var icon: String?
    public var isCustom: Bool
    public var isActive: Bool
    public var isSystem: Bool
    public var isUIReadOnly: Bool
    public var isNullable: Bool
    public var isUnique: Bool
    public var isLabelSyncedWithName: Bool
    public var defaultValue: JSONValue?
    public var options: JSONValue?
    public var settings: JSONValue?
    public var morphId: UUID?
    public var relationTargetFieldMetadataId: UUID?
    public var relationTargetObjectMetadataId: UUID?
    public var createdAt: String
    public var updatedAt: String

    /// `RelationType` from the settings.
    public var relationType: RelationType? {
        guard case .object(let settings)? = settings, case .string(let raw)? = settings["relationType"] else { return nil }
        return RelationType(rawValue: raw)
    }
}

/// Both sides of a RELATION field (Twenty's `Relation` type).
public struct RelationRecord: Sendable, Hashable {
    public var type: RelationType
    public var sourceObjectMetadata: ObjectMetadataRecord
    public var targetObjectMetadata: ObjectMetadataRecord
    public var sourceFieldMetadata: FieldMetadataRecord
    public var targetFieldMetadata: FieldMetadataRecord
}
