import Foundation

/// The serialized form of a ``WorkspaceSchema``: what PostgreSQL renders in the loader's single query and what is
/// stored in Redis. Short keys and bit sets keep a standard workspace's payload small; `nil`s are left out.
struct WorkspaceSchemaWire: Codable, Sendable {
    /// `core.workspace.id`.
    var w: UUID
    /// `metadataVersion`.
    var v: Int
    /// `databaseSchema`.
    var s: String
    /// Objects.
    var o: [Object]

    struct Object: Codable, Sendable {
        var i: UUID
        var ns: String
        var np: String
        var ls: String
        var lp: String
        var d: String?
        var ic: String?
        /// `targetTableName`.
        var t: String
        /// ``ObjectFlags``.
        var b: Int
        /// `duplicateCriteria`.
        var dc: [[String]]?
        var sc: String?
        /// `labelIdentifierFieldMetadataId`.
        var li: UUID?
        /// `imageIdentifierFieldMetadataId`.
        var ii: UUID?
        var f: [Field]?
    }

    struct Field: Codable, Sendable {
        var i: UUID
        var n: String
        /// `type` (Twenty's `FieldMetadataType`).
        var y: String
        var l: String
        var dv: JSONValue?
        var d: String?
        var ic: String?
        var op: [Option]?
        var st: JSONValue?
        /// ``FieldFlags``.
        var b: Int
        /// `relationTargetFieldMetadataId`.
        var rf: UUID?
        /// `relationTargetObjectMetadataId`.
        var ro: UUID?
        var m: UUID?
    }

    /// A SELECT option, with Twenty's own keys (it is stored as such in `fieldMetadata.options`).
    struct Option: Codable, Sendable {
        var id: UUID?
        var value: String
        var label: String
        var position: Int?
        var color: String?
    }
}

/// The boolean columns of `core."objectMetadata"`, as bits.
struct ObjectFlags: OptionSet, Hashable, Sendable, Codable {
    let rawValue: Int
    static let isCustom = ObjectFlags(rawValue: 1)
    static let isRemote = ObjectFlags(rawValue: 2)
    static let isActive = ObjectFlags(rawValue: 4)
    static let isSystem = ObjectFlags(rawValue: 8)
    static let isAuditLogged = ObjectFlags(rawValue: 16)
    static let isSearchable = ObjectFlags(rawValue: 32)
    static let isLabelSyncedWithName = ObjectFlags(rawValue: 64)
}

/// The boolean columns of `core."fieldMetadata"`, as bits.
struct FieldFlags: OptionSet, Hashable, Sendable, Codable {
    let rawValue: Int
    static let isCustom = FieldFlags(rawValue: 1)
    static let isActive = FieldFlags(rawValue: 2)
    static let isSystem = FieldFlags(rawValue: 4)
    static let isUIReadOnly = FieldFlags(rawValue: 8)
    static let isNullable = FieldFlags(rawValue: 16)
    static let isUnique = FieldFlags(rawValue: 32)
    static let isLabelSyncedWithName = FieldFlags(rawValue: 64)
}
