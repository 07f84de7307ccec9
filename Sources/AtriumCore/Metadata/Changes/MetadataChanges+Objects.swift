import Foundation
import Logging
import PostgresNIO

extension MetadataChanges {
    /// Creates a custom object: table `_<nameSingular>` with the system fields and a `name` label identifier, its enum
    /// types and search index, the `<nameSingular>Id` foreign keys on the junction objects (note and task targets,
    /// favorites, attachments, timeline activities), and every metadata row.
    /// - Returns: The new object's id.
    /// - Throws: ``AtriumError`` `.validationFailed` for a bad or taken name; nothing is changed then.
    public func createObject(_ creation: ObjectCreation, in workspace: UUID, logger: Logger) async throws -> UUID {
        try await perform(workspace, logger: logger) { context in
            try await Self.createObject(creation, context: &context)
        }
    }

    static func createObject(_ creation: ObjectCreation, context: inout Context) async throws -> UUID {
        try checkObjectNames(singular: creation.nameSingular, plural: creation.namePlural, schema: context.schema, ignoring: nil)
        try MetadataNameRules.validateLabel(creation.labelSingular, what: "labelSingular")
        try MetadataNameRules.validateLabel(creation.labelPlural, what: "labelPlural")
        let junctions = CustomObjects.junctions.filter { context.schema.object(nameSingular: $0.object) != nil }
        let definition = CustomObjects.definition(creation, junctions: junctions)
        guard (try? SQLIdentifier(definition.tableName)) != nil else {
            throw AtriumError(.validationFailed, "nameSingular \"\(creation.nameSingular)\" is too long for a table name")
        }
        // The new table (empty, so its indexes cost nothing) and the junctions' foreign key columns.
        let workspaceDDL = WorkspaceDDL(schema: context.ddl.schema, objects: [definition])
        context.plan.statements += try workspaceDDL.createTable(definition)
        var tables = context.tables
        tables[definition.nameSingular] = definition.tableName
        var junctionFields: [(WorkspaceSchema.Object, FieldDefinition)] = []
        for junction in junctions {
            guard let object = context.schema.object(nameSingular: junction.object) else { continue }
            let field = CustomObjects.junctionField(junction, custom: creation)
            do {
                try checkFieldName(field.name, columns: try field.columns(), object: object, existing: try await context.columns(of: object.targetTableName))
            } catch let error as AtriumError {
                throw AtriumError(.validationFailed, "nameSingular \"\(creation.nameSingular)\" is not available: \(error.message)")
            }
            context.plan.append(try context.ddl.addField(field, table: object.targetTableName, targetTables: tables))
            junctionFields.append((object, field))
        }
        // Metadata rows, relations linked both ways.
        let objectID = UUID()
        var fieldIDs: [String: UUID] = [:]
        for field in definition.allFields { fieldIDs[field.name] = UUID() }
        var junctionIDs: [String: UUID] = [:]
        for (object, _) in junctionFields { junctionIDs[object.nameSingular] = UUID() }
        var fields: [MetadataRows.Field] = []
        for field in definition.allFields {
            var targetObject: UUID?
            var targetField: UUID?
            if let relation = field.relation, let junction = context.schema.object(nameSingular: relation.targetObject) {
                targetObject = junction.id
                targetField = junctionIDs[junction.nameSingular]
            }
            fields.append(MetadataRows.fieldRow(field, id: fieldIDs[field.name]!, objectID: objectID, isCustom: false,
                                                targetObjectID: targetObject, targetFieldID: targetField))
        }
        for (object, field) in junctionFields {
            let inverse = CustomObjects.junctions.first { $0.object == object.nameSingular }!.inverseName
            fields.append(MetadataRows.fieldRow(field, id: junctionIDs[object.nameSingular]!, objectID: object.id, isCustom: false,
                                                targetObjectID: objectID, targetFieldID: fieldIDs[inverse]))
        }
        let row = MetadataRows.Object(
            id: objectID, nameSingular: definition.nameSingular, namePlural: definition.namePlural,
            labelSingular: definition.labelSingular, labelPlural: definition.labelPlural, description: definition.description,
            icon: definition.icon, targetTableName: definition.tableName, isCustom: true, isSystem: false, isAuditLogged: true,
            isSearchable: true, duplicateCriteria: nil, labelIdentifierFieldMetadataId: fieldIDs["name"], imageIdentifierFieldMetadataId: nil
        )
        try await MetadataRows(objects: [row], fields: fields).insert(workspace: context.workspace, on: context.connection, logger: context.logger)
        // Its INDEX view, "All <plural>", as Twenty gives every new object.
        try await context.connection.query("SELECT core.atrium_index_view(\(objectID))", logger: context.logger)
        if creation.shortcut != nil || creation.isLabelSyncedWithName {
            try await context.connection.query("""
                UPDATE core."objectMetadata" SET "shortcut" = \(creation.shortcut), "isLabelSyncedWithName" = \(creation.isLabelSyncedWithName)
                WHERE "id" = \(objectID)
                """, logger: context.logger)
        }
        return objectID
    }

    /// Checks an object's singular and plural names: valid, distinct, and not used by another object as either.
    static func checkObjectNames(singular: String, plural: String, schema: WorkspaceSchema, ignoring: UUID?) throws {
        try MetadataNameRules.validate(singular, what: "nameSingular")
        try MetadataNameRules.validate(plural, what: "namePlural")
        guard singular != plural else {
            throw AtriumError(.validationFailed, "nameSingular and namePlural must differ (both are \"\(singular)\")")
        }
        for name in [singular, plural] {
            for object in schema.objects where object.id != ignoring && (object.nameSingular == name || object.namePlural == name) {
                throw AtriumError(.validationFailed, "Name \"\(name)\" is not available: object \(object.nameSingular) already uses it")
            }
        }
    }

    /// Updates an object's labels, description, icon, flags, label or image identifier, and its names (a custom object's
    /// `nameSingular` renames its table: see ``renameObject(_:to:plural:context:)``).
    /// - Throws: ``AtriumError`` `.notFound` for an unknown id, `.validationFailed` for a bad change.
    public func updateObject(_ id: UUID, _ update: ObjectUpdate, in workspace: UUID, logger: Logger) async throws {
        try await perform(workspace, logger: logger) { context in
            try await Self.updateObject(id, update, context: &context)
        }
    }

    static func updateObject(_ id: UUID, _ update: ObjectUpdate, context: inout Context) async throws {
        guard let object = context.schema.object(id: id) else { throw AtriumError(.notFound, "Object metadata \(id) not found") }
        if let singular = update.nameSingular, singular != object.nameSingular {
            try await renameObject(object, to: singular, plural: update.namePlural ?? object.namePlural, context: &context)
        } else if let plural = update.namePlural, plural != object.namePlural {
            guard object.isCustom else { throw AtriumError(.validationFailed, "Standard object \(object.nameSingular) cannot be renamed") }
            try checkObjectNames(singular: object.nameSingular, plural: plural, schema: context.schema, ignoring: object.id)
        }
        if let label = update.labelSingular { try MetadataNameRules.validateLabel(label, what: "labelSingular") }
        if let label = update.labelPlural { try MetadataNameRules.validateLabel(label, what: "labelPlural") }
        for (what, fieldID) in [("labelIdentifierFieldMetadataId", update.labelIdentifierFieldMetadataId),
                                ("imageIdentifierFieldMetadataId", update.imageIdentifierFieldMetadataId ?? nil)] {
            if let fieldID, context.schema.field(id: fieldID)?.object.id != object.id {
                throw AtriumError(.validationFailed, "\(what): field \(fieldID) is not a field of object \(object.nameSingular)")
            }
        }
        try await context.connection.query("""
            UPDATE core."objectMetadata" SET
                "namePlural" = COALESCE(\(update.namePlural), "namePlural"),
                "labelSingular" = COALESCE(\(update.labelSingular), "labelSingular"),
                "labelPlural" = COALESCE(\(update.labelPlural), "labelPlural"),
                "description" = CASE WHEN \(update.description != nil) THEN \(update.description ?? nil) ELSE "description" END,
                "icon" = CASE WHEN \(update.icon != nil) THEN \(update.icon ?? nil) ELSE "icon" END,
                "shortcut" = CASE WHEN \(update.shortcut != nil) THEN \(update.shortcut ?? nil) ELSE "shortcut" END,
                "isActive" = COALESCE(\(update.isActive), "isActive"),
                "isLabelSyncedWithName" = COALESCE(\(update.isLabelSyncedWithName), "isLabelSyncedWithName"),
                "labelIdentifierFieldMetadataId" = COALESCE(\(update.labelIdentifierFieldMetadataId), "labelIdentifierFieldMetadataId"),
                "imageIdentifierFieldMetadataId" = CASE WHEN \(update.imageIdentifierFieldMetadataId != nil)
                    THEN \(update.imageIdentifierFieldMetadataId ?? nil) ELSE "imageIdentifierFieldMetadataId" END,
                "updatedAt" = now()
            WHERE "id" = \(id)
            """, logger: context.logger)
    }

    /// Deletes a custom object: its table and enum types, the relation fields of other objects that point at it (with
    /// their foreign key columns), and its metadata rows.
    /// - Throws: ``AtriumError`` `.notFound` for an unknown id, `.validationFailed` for a standard object.
    public func deleteObject(_ id: UUID, in workspace: UUID, logger: Logger) async throws {
        try await perform(workspace, logger: logger) { context in
            try await Self.deleteObject(id, context: &context)
        }
    }

    static func deleteObject(_ id: UUID, context: inout Context) async throws {
        guard let object = context.schema.object(id: id) else { throw AtriumError(.notFound, "Object metadata \(id) not found") }
        guard object.isCustom else { throw AtriumError(.validationFailed, "Standard object \(object.nameSingular) cannot be deleted") }
        var inverseIDs: [UUID] = []
        for field in object.fields {
            if field.type == .morphRelation {
                inverseIDs += field.morphInverseFields.filter { $0.object.id != object.id }.map(\.id)
                continue
            }
            guard field.type == .relation, let inverse = field.relationTargetField, inverse.object.id != object.id else { continue }
            if inverse.type == .morphRelation {
                // This object is one target of a morph field elsewhere: its column goes, the field with its last target.
                let column = inverse.morphColumnName(target: object)
                let columns = FieldDefinition.storedColumns(inverse).filter { $0.name == column }
                context.plan.statements += try context.ddl.dropColumns(columns, table: inverse.object.targetTableName)
                if inverse.morphTargetObjects.count == 1 { inverseIDs.append(inverse.id) }
                continue
            }
            inverseIDs.append(inverse.id)
            context.plan.statements += try context.ddl.dropColumns(FieldDefinition.storedColumns(inverse), table: inverse.object.targetTableName)
        }
        let table = try SQLIdentifier(object.targetTableName)
        context.plan.statements.append("DROP TABLE \(context.ddl.schema).\(table)")
        for field in object.fields {
            for column in FieldDefinition.storedColumns(field) where column.type == .enumeration || column.type == .enumerationArray {
                context.plan.statements.append("DROP TYPE IF EXISTS \(context.ddl.schema).\(try SQLIdentifier(column.enumTypeName(table: object.targetTableName)))")
            }
        }
        try await context.connection.query(#"DELETE FROM core."fieldMetadata" WHERE "id" = ANY(\#(inverseIDs))"#, logger: context.logger)
        try await context.connection.query(#"DELETE FROM core."objectMetadata" WHERE "id" = \#(id)"#, logger: context.logger)
    }
}
