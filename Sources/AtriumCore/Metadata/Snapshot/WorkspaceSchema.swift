import Foundation

/// One workspace's metadata as an immutable snapshot: its objects and their fields, at one `metadataVersion`.
///
/// Everything that does not depend on the workspace (names, labels, types, options, settings, relations by name) is
/// a shared, interned shape; a snapshot itself holds the workspace's ids, its version and its database schema, so
/// thousands of workspaces with the standard objects cost little more than their ids.
///
/// ```swift
/// let schema = try await cache.schema(for: workspaceID, logger: logger)
/// guard let company = schema.object(named: "companies") else { … }
/// let owner = company.field(named: "accountOwner")?.relationTargetObject   // workspaceMember
/// ```
public struct WorkspaceSchema: Sendable {
    /// `core.workspace.id`.
    public let workspaceID: UUID
    /// `core.workspace."metadataVersion"` when the snapshot was taken.
    public let metadataVersion: Int
    /// The PostgreSQL schema holding the workspace's tables.
    public let databaseSchema: String
    let shape: SchemaShape
    let ids: IDTable

    init(workspaceID: UUID, metadataVersion: Int, databaseSchema: String, shape: SchemaShape, ids: IDTable) {
        self.workspaceID = workspaceID
        self.metadataVersion = metadataVersion
        self.databaseSchema = databaseSchema
        self.shape = shape
        self.ids = ids
    }

    // MARK: - Lookups

    /// Every object, ordered by `nameSingular`.
    public var objects: [Object] { (0..<shape.objectCount).map { Object(schema: self, index: $0) } }

    /// The number of objects.
    public var objectCount: Int { shape.objectCount }

    /// The number of fields over all objects.
    public var fieldCount: Int { shape.fieldCount }

    /// The object whose `nameSingular` or, failing that, `namePlural` is `name`.
    public func object(named name: String) -> Object? {
        object(nameSingular: name) ?? object(namePlural: name)
    }

    /// The object whose `nameSingular` is `name`.
    public func object(nameSingular name: String) -> Object? {
        shape.objectsBySingular[name].map { Object(schema: self, index: $0) }
    }

    /// The object whose `namePlural` is `name`.
    public func object(namePlural name: String) -> Object? {
        shape.objectsByPlural[name].map { Object(schema: self, index: $0) }
    }

    /// The object with metadata id `id`.
    public func object(id: UUID) -> Object? {
        guard let index = ids.index(of: id), index < shape.objectCount else { return nil }
        return Object(schema: self, index: index)
    }

    /// The field with metadata id `id`, in whichever object.
    public func field(id: UUID) -> Field? {
        guard let index = ids.index(of: id), index >= shape.objectCount else { return nil }
        return Field(schema: self, globalIndex: index - shape.objectCount)
    }
}

// MARK: - Ids

/// A workspace's ids, laid out by its ``SchemaShape`` (objects, fields, options), with a sorted permutation of the
/// object and field ids for lookups by id.
final class IDTable: Sendable {
    let ids: ContiguousArray<UUID>
    private let sorted: ContiguousArray<UInt32>

    /// - Parameter searchable: How many leading ids (objects and fields) lookups by id cover.
    init(_ ids: ContiguousArray<UUID>, searchable: Int) {
        self.ids = ids
        self.sorted = ContiguousArray((0..<UInt32(searchable)).sorted { IDTable.less(ids[Int($0)], ids[Int($1)]) })
    }

    subscript(_ index: Int) -> UUID { ids[index] }

    /// The position of `id` among the searchable ids.
    func index(of id: UUID) -> Int? {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            let candidate = ids[Int(sorted[middle])]
            if candidate == id { return Int(sorted[middle]) }
            if IDTable.less(candidate, id) { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    private static func less(_ a: UUID, _ b: UUID) -> Bool {
        withUnsafeBytes(of: a.uuid) { a in withUnsafeBytes(of: b.uuid) { b in a.lexicographicallyPrecedes(b) } }
    }
}
