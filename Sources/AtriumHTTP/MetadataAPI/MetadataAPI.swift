import AtriumCore
import Foundation
import Logging

/// The operations behind both metadata front ends (REST `/rest/metadata/…` and GraphQL `/metadata`): reads from a
/// ``MetadataCatalog``, changes through ``MetadataChanges``, results as the records Twenty's API shows.
///
/// ```swift
/// let api = MetadataAPI(database: database, changes: MetadataChanges(cache: cache, deferred: deferred))
/// let invoice = try await api.createObject(["nameSingular": "invoice", …], workspace: id, logger: logger)
/// ```
public struct MetadataAPI: Sendable {
    let database: Database
    let changes: MetadataChanges

    public init(database: Database, changes: MetadataChanges) {
        self.database = database
        self.changes = changes
    }

    func catalog(_ workspace: UUID, logger: Logger) async throws -> MetadataCatalog {
        try await MetadataCatalog.load(workspace, database: database, logger: logger)
    }

    // MARK: - Objects

    func createObject(_ input: [String: JSONValue], workspace: UUID, logger: Logger) async throws -> (ObjectMetadataRecord, MetadataCatalog) {
        let id = try await changes.createObject(MetadataInputs.objectCreation(input), in: workspace, logger: logger)
        return try await object(id, workspace: workspace, logger: logger)
    }

    func updateObject(_ id: UUID, _ input: [String: JSONValue], workspace: UUID, logger: Logger) async throws -> (ObjectMetadataRecord, MetadataCatalog) {
        try await changes.updateObject(id, MetadataInputs.objectUpdate(input), in: workspace, logger: logger)
        return try await object(id, workspace: workspace, logger: logger)
    }

    func deleteObject(_ id: UUID, workspace: UUID, logger: Logger) async throws -> (ObjectMetadataRecord, MetadataCatalog) {
        let before = try await object(id, workspace: workspace, logger: logger)
        try await changes.deleteObject(id, in: workspace, logger: logger)
        return before
    }

    func object(_ id: UUID, workspace: UUID, logger: Logger) async throws -> (ObjectMetadataRecord, MetadataCatalog) {
        let catalog = try await catalog(workspace, logger: logger)
        guard let object = catalog.object(id: id) else { throw AtriumError(.notFound, "Object metadata \(id) not found") }
        return (object, catalog)
    }

    // MARK: - Fields

    func createField(_ input: [String: JSONValue], workspace: UUID, logger: Logger) async throws -> (FieldMetadataRecord, MetadataCatalog) {
        let id = try await changes.createField(MetadataInputs.fieldCreation(input), in: workspace, logger: logger)
        return try await field(id, workspace: workspace, logger: logger)
    }

    func updateField(_ id: UUID, _ input: [String: JSONValue], workspace: UUID, logger: Logger) async throws -> (FieldMetadataRecord, MetadataCatalog) {
        try await changes.updateField(id, MetadataInputs.fieldUpdate(input), in: workspace, logger: logger)
        return try await field(id, workspace: workspace, logger: logger)
    }

    func deleteField(_ id: UUID, workspace: UUID, logger: Logger) async throws -> (FieldMetadataRecord, MetadataCatalog) {
        let before = try await field(id, workspace: workspace, logger: logger)
        try await changes.deleteField(id, in: workspace, logger: logger)
        return before
    }

    func field(_ id: UUID, workspace: UUID, logger: Logger) async throws -> (FieldMetadataRecord, MetadataCatalog) {
        let catalog = try await catalog(workspace, logger: logger)
        guard let field = catalog.field(id: id) else { throw AtriumError(.notFound, "Field metadata \(id) not found") }
        return (field, catalog)
    }
}
