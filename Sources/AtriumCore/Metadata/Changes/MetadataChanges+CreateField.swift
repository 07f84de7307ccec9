import Foundation
import Logging
import PostgresNIO

extension MetadataChanges {
    /// Creates a custom field: its column(s), enum type, foreign key (for a RELATION, with the inverse field created on
    /// the target object) and metadata rows.
    /// - Returns: The new field's id.
    /// - Throws: ``AtriumError`` `.validationFailed` for a bad name, type, options, default or relation target;
    ///   nothing is changed then.
    public func createField(_ creation: FieldCreation, in workspace: UUID, logger: Logger) async throws -> UUID {
        try await perform(workspace, logger: logger) { context in
            try await Self.createField(creation, context: &context)
        }
    }

    static func createField(_ creation: FieldCreation, context: inout Context) async throws -> UUID {
        guard let object = context.schema.object(id: creation.objectMetadataId) else {
            throw AtriumError(.validationFailed, "Object metadata \(creation.objectMetadataId) does not exist")
        }
        try MetadataNameRules.validateLabel(creation.label, what: "field label")
        if creation.type == .morphRelation {
            return try await createMorphRelation(creation, object: object, context: &context)
        }
        let options = try checkOptions(creation.options, type: creation.type)
        try checkDefault(creation.defaultValue, type: creation.type, options: options)
        try checkSettings(creation.settings, defaultValue: creation.defaultValue, type: creation.type)
        if creation.type == .relation {
            guard let relation = creation.relation else {
                throw AtriumError(.validationFailed, "A RELATION field needs relationCreationPayload (targetObjectMetadataId, type, targetFieldLabel)")
            }
            return try await createRelation(creation, relation: relation, object: object, context: &context)
        }
        let field = FieldDefinition(
            creation.name, creation.type, label: creation.label, description: creation.description, icon: creation.icon,
            isNullable: creation.isNullable, isUnique: creation.isUnique, defaultValue: creation.defaultValue,
            options: definitions(of: options), settings: creation.settings
        )
        let columns = try field.columns()
        try checkFieldName(creation.name, columns: columns, object: object, existing: try await context.columns(of: object.targetTableName))
        if creation.isUnique, columns.contains(where: { $0.defaultSQL != nil }), try await context.hasSeveralRecords(object.targetTableName) {
            // Every existing record would get the same value, so the unique index could never be built.
            throw AtriumError(.validationFailed, "A unique field cannot have a default value on an object that already has records")
        }
        context.plan.append(try context.ddl.addField(field, table: object.targetTableName, targetTables: context.tables))
        let id = UUID()
        let row = MetadataRows.fieldRow(field, id: id, objectID: object.id, isCustom: true, targetObjectID: nil, targetFieldID: nil,
                                        optionIDs: options?.map(\.id))
        try await insert([row], flags: creation, context: context)
        return id
    }

    /// A RELATION field and its inverse on the target; the MANY_TO_ONE side holds `<name>Id` with a foreign key.
    private static func createRelation(
        _ creation: FieldCreation, relation: RelationCreation, object: WorkspaceSchema.Object, context: inout Context
    ) async throws -> UUID {
        guard let target = context.schema.object(id: relation.targetObjectMetadataId) else {
            throw AtriumError(.validationFailed, "Relation target object \(relation.targetObjectMetadataId) does not exist")
        }
        let inverseLabel = relation.targetFieldLabel ?? (relation.type == .manyToOne ? object.labelPlural : object.labelSingular)
        try MetadataNameRules.validateLabel(inverseLabel, what: "target field label")
        let inverseName = MetadataNameRules.camelCase(inverseLabel)
        let onDelete: RelationOnDelete = if case .object(let settings)? = creation.settings, case .string(let raw)? = settings["onDelete"],
                                            let parsed = RelationOnDelete(rawValue: raw) { parsed } else { relation.onDelete }
        let inverseType: RelationType = relation.type == .manyToOne ? .oneToMany : .manyToOne
        let field = FieldDefinition(
            creation.name, .relation, label: creation.label, description: creation.description, icon: creation.icon,
            isNullable: true,
            relation: RelationDefinition(relation.type, target: target.nameSingular, inverse: inverseName,
                                         onDelete: relation.type == .manyToOne ? onDelete : nil)
        )
        let inverse = FieldDefinition(
            inverseName, .relation, label: inverseLabel, icon: relation.targetFieldIcon ?? "IconBuildingSkyscraper", isNullable: true,
            relation: RelationDefinition(inverseType, target: object.nameSingular, inverse: creation.name,
                                         onDelete: inverseType == .manyToOne ? onDelete : nil)
        )
        var sourceColumns = try await context.columns(of: object.targetTableName)
        try checkFieldName(creation.name, columns: try field.columns(), object: object, existing: sourceColumns)
        if target.id == object.id {
            guard inverseName != creation.name else {
                throw AtriumError(.validationFailed, "A relation to the same object needs a target field label that differs from the field's name")
            }
            sourceColumns.formUnion(try field.columns().map(\.name))
        }
        let targetColumns = target.id == object.id ? sourceColumns : try await context.columns(of: target.targetTableName)
        do {
            try checkFieldName(inverseName, columns: try inverse.columns(), object: target, existing: targetColumns)
        } catch let error as AtriumError {
            throw AtriumError(.validationFailed, "Target field: \(error.message)")
        }
        let (holder, holderTable) = relation.type == .manyToOne ? (field, object.targetTableName) : (inverse, target.targetTableName)
        context.plan.append(try context.ddl.addField(holder, table: holderTable, targetTables: context.tables))
        let id = UUID()
        let inverseID = UUID()
        try await insert([
            MetadataRows.fieldRow(field, id: id, objectID: object.id, isCustom: true, targetObjectID: target.id, targetFieldID: inverseID),
            MetadataRows.fieldRow(inverse, id: inverseID, objectID: target.id, isCustom: true, targetObjectID: object.id, targetFieldID: id),
        ], flags: creation, context: context)
        return id
    }

    /// Inserts field rows; the first row gets the creation's `isActive` and `isLabelSyncedWithName`.
    static func insert(_ rows: [MetadataRows.Field], flags creation: FieldCreation, context: Context) async throws {
        try await MetadataRows(objects: [], fields: rows).insert(workspace: context.workspace, on: context.connection, logger: context.logger)
        if let first = rows.first, !creation.isActive || creation.isLabelSyncedWithName {
            try await context.connection.query("""
                UPDATE core."fieldMetadata" SET "isActive" = \(creation.isActive), "isLabelSyncedWithName" = \(creation.isLabelSyncedWithName)
                WHERE "id" = \(first.id)
                """, logger: context.logger)
        }
    }
}
