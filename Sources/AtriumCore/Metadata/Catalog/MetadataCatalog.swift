import Foundation
import Logging
import PostgresNIO

/// A workspace's metadata rows as the metadata API lists them, read in one statement, with lookups, filters and
/// cursor pages. Small (tens of objects, hundreds of fields), so filters and pages are applied in memory.
///
/// ```swift
/// let catalog = try await MetadataCatalog.load(workspaceID, database: database, logger: logger)
/// let page = try catalog.page(catalog.objects(matching: .init(isCustom: true)), first: 10, after: nil, last: nil, before: nil)
/// ```
public struct MetadataCatalog: Sendable {
    /// Objects ordered by id (the cursor order).
    public let objects: [ObjectMetadataRecord]
    /// Fields ordered by id.
    public let fields: [FieldMetadataRecord]
    private let objectsByID: [UUID: Int]
    private let fieldsByID: [UUID: Int]

    init(objects: [ObjectMetadataRecord], fields: [FieldMetadataRecord]) {
        self.objects = objects.sorted { $0.id.uuidString < $1.id.uuidString }
        self.fields = fields.sorted { $0.id.uuidString < $1.id.uuidString }
        objectsByID = Dictionary(uniqueKeysWithValues: self.objects.enumerated().map { ($0.element.id, $0.offset) })
        fieldsByID = Dictionary(uniqueKeysWithValues: self.fields.enumerated().map { ($0.element.id, $0.offset) })
    }

    /// Reads the metadata rows of `workspace`.
    public static func load(_ workspace: UUID, database: Database, logger: Logger) async throws -> MetadataCatalog {
        let rows = try await database.query(query(workspace), logger: logger)
        for try await text in rows.decode(String.self) {
            let decoded = try JSONDecoder().decode(Wire.self, from: Data(text.utf8))
            return MetadataCatalog(objects: decoded.objects, fields: decoded.fields)
        }
        return MetadataCatalog(objects: [], fields: [])
    }

    private struct Wire: Decodable {
        let objects: [ObjectMetadataRecord]
        let fields: [FieldMetadataRecord]
    }

    // MARK: - Lookups

    public func object(id: UUID) -> ObjectMetadataRecord? { objectsByID[id].map { objects[$0] } }
    public func field(id: UUID) -> FieldMetadataRecord? { fieldsByID[id].map { fields[$0] } }

    /// The fields of an object, ordered by id.
    public func fields(of objectID: UUID) -> [FieldMetadataRecord] { fields.filter { $0.objectMetadataId == objectID } }

    /// Both sides of a RELATION field, or nil for other fields.
    public func relation(of field: FieldMetadataRecord) -> RelationRecord? {
        guard field.type == FieldType.relation.rawValue, let type = field.relationType,
              let targetFieldID = field.relationTargetFieldMetadataId, let targetField = self.field(id: targetFieldID),
              let source = object(id: field.objectMetadataId), let target = object(id: targetField.objectMetadataId)
        else { return nil }
        return RelationRecord(type: type, sourceObjectMetadata: source, targetObjectMetadata: target,
                              sourceFieldMetadata: field, targetFieldMetadata: targetField)
    }

    // MARK: - Filters

    /// Twenty's `ObjectFilter` / `FieldFilter` subset: equality on id and flags, combined with AND.
    public struct Filter: Sendable, Hashable {
        public var ids: [UUID]?
        public var isCustom: Bool?
        public var isActive: Bool?
        public var isSystem: Bool?
        public var isRemote: Bool?
        public var isUIReadOnly: Bool?
        public var isSearchable: Bool?
        /// Fields only: the object they belong to.
        public var objectMetadataId: UUID?

        public init(ids: [UUID]? = nil, isCustom: Bool? = nil, isActive: Bool? = nil, isSystem: Bool? = nil,
                    isRemote: Bool? = nil, isUIReadOnly: Bool? = nil, isSearchable: Bool? = nil, objectMetadataId: UUID? = nil) {
            self.ids = ids
            self.isCustom = isCustom
            self.isActive = isActive
            self.isSystem = isSystem
            self.isRemote = isRemote
            self.isUIReadOnly = isUIReadOnly
            self.isSearchable = isSearchable
            self.objectMetadataId = objectMetadataId
        }
    }

    public func objects(matching filter: Filter) -> [ObjectMetadataRecord] {
        objects.filter { object in
            (filter.ids.map { $0.contains(object.id) } ?? true)
                && filter.isCustom.map { $0 == object.isCustom } ?? true
                && filter.isActive.map { $0 == object.isActive } ?? true
                && filter.isSystem.map { $0 == object.isSystem } ?? true
                && filter.isRemote.map { $0 == object.isRemote } ?? true
                && filter.isUIReadOnly.map { $0 == object.isUIReadOnly } ?? true
                && filter.isSearchable.map { $0 == object.isSearchable } ?? true
        }
    }

    public func fields(matching filter: Filter) -> [FieldMetadataRecord] {
        fields.filter { field in
            (filter.ids.map { $0.contains(field.id) } ?? true)
                && filter.isCustom.map { $0 == field.isCustom } ?? true
                && filter.isActive.map { $0 == field.isActive } ?? true
                && filter.isSystem.map { $0 == field.isSystem } ?? true
                && filter.isUIReadOnly.map { $0 == field.isUIReadOnly } ?? true
                && filter.objectMetadataId.map { $0 == field.objectMetadataId } ?? true
        }
    }

    // MARK: - Pages

    /// One page of a connection, with Twenty's (nestjs-query's) page info.
    public struct Page<Item: Sendable>: Sendable {
        public var items: [(item: Item, cursor: String)]
        public var hasNextPage: Bool
        public var hasPreviousPage: Bool
        public var startCursor: String? { items.first?.cursor }
        public var endCursor: String? { items.last?.cursor }
        public var totalCount: Int
    }

    /// The default and largest page size of the metadata API.
    public static let maximumPageSize = 1000

    /// A cursor page over `items` (ordered by id): `first`/`after` forward, `last`/`before` backward.
    /// - Throws: ``AtriumError`` `.badRequest` for a negative size, a malformed cursor, or both `after` and `before`.
    public static func page<Item: Sendable>(
        _ items: [Item], id: (Item) -> UUID, first: Int?, after: String?, last: Int?, before: String?
    ) throws -> Page<Item> {
        if after != nil, before != nil {
            throw AtriumError(.badRequest, "Only one of 'endingBefore' and 'startingAfter' may be provided")
        }
        for size in [first, last].compactMap({ $0 }) where size < 0 {
            throw AtriumError(.badRequest, "A page size cannot be negative")
        }
        let ids = items.map { id($0).uuidString }
        var start = 0
        var end = items.count
        if let after { let key = try decodeCursor(after).uuidString; start = ids.firstIndex { $0 > key } ?? items.count }
        if let before { let key = try decodeCursor(before).uuidString; end = ids.firstIndex { $0 >= key } ?? items.count }
        var window = Array(start..<max(start, end))
        var hasNext = end < items.count
        var hasPrevious = start > 0
        if let last, before != nil || first == nil {
            if window.count > last { hasPrevious = true; window = Array(window.suffix(last)) }
        } else {
            let size = min(first ?? maximumPageSize, maximumPageSize)
            if window.count > size { hasNext = true; window = Array(window.prefix(size)) }
        }
        return Page(items: window.map { (items[$0], encodeCursor(id(items[$0]))) }, hasNextPage: hasNext, hasPreviousPage: hasPrevious,
                    totalCount: items.count)
    }

    /// An opaque cursor: base64 of the item's id.
    public static func encodeCursor(_ id: UUID) -> String { Data(id.lowercased.utf8).base64EncodedString() }

    static func decodeCursor(_ cursor: String) throws -> UUID {
        guard let data = Data(base64Encoded: cursor), let id = UUID(text: String(decoding: data, as: UTF8.self)) else {
            throw AtriumError(.badRequest, "Invalid cursor \"\(cursor)\"")
        }
        return id
    }

    // MARK: - Statement

    static func query(_ workspace: UUID) -> PostgresQuery {
        """
        SELECT json_build_object(
            'objects', COALESCE((SELECT json_agg(json_build_object(
                'id', o."id", 'dataSourceId', o."dataSourceId", 'nameSingular', o."nameSingular", 'namePlural', o."namePlural",
                'labelSingular', o."labelSingular", 'labelPlural', o."labelPlural", 'description', o."description", 'icon', o."icon",
                'shortcut', o."shortcut", 'isCustom', o."isCustom", 'isRemote', o."isRemote", 'isActive', o."isActive",
                'isSystem', o."isSystem", 'isUIReadOnly', false, 'isSearchable', o."isSearchable", 'isAuditLogged', o."isAuditLogged",
                'isLabelSyncedWithName', o."isLabelSyncedWithName",
                'labelIdentifierFieldMetadataId', o."labelIdentifierFieldMetadataId",
                'imageIdentifierFieldMetadataId', o."imageIdentifierFieldMetadataId", 'duplicateCriteria', o."duplicateCriteria",
                'createdAt', to_char(o."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'updatedAt', to_char(o."updatedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
                FROM core."objectMetadata" o WHERE o."workspaceId" = w."id"), '[]'::json),
            'fields', COALESCE((SELECT json_agg(json_build_object(
                'id', f."id", 'objectMetadataId', f."objectMetadataId", 'type', f."type", 'name', f."name", 'label', f."label",
                'description', f."description", 'icon', f."icon", 'isCustom', f."isCustom", 'isActive', f."isActive",
                'isSystem', f."isSystem", 'isUIReadOnly', f."isUIReadOnly", 'isNullable', f."isNullable", 'isUnique', f."isUnique",
                'isLabelSyncedWithName', f."isLabelSyncedWithName", 'defaultValue', f."defaultValue", 'options', f."options",
                'settings', f."settings", 'morphId', f."morphId",
                'relationTargetFieldMetadataId', f."relationTargetFieldMetadataId",
                'relationTargetObjectMetadataId', f."relationTargetObjectMetadataId",
                'createdAt', to_char(f."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'updatedAt', to_char(f."updatedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
                FROM core."fieldMetadata" f WHERE f."workspaceId" = w."id"), '[]'::json)
        )::text
        FROM core."workspace" w WHERE w."id" = \(workspace)
        """
    }
}
