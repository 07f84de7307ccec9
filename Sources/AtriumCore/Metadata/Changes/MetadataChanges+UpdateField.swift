import Foundation
import Logging
import PostgresNIO

extension MetadataChanges {
    /// Updates a field: labels and flags in metadata; a new name renames its column(s); new options alter its enum type
    /// (added values are added, renamed ones renamed in place, removed ones cleared from the data first); a new
    /// default changes the column default. `isActive: false` hides it from the APIs and keeps its data.
    /// - Throws: ``AtriumError`` `.notFound` for an unknown id, `.validationFailed` for a bad change (nothing changed).
    public func updateField(_ id: UUID, _ update: FieldUpdate, in workspace: UUID, logger: Logger) async throws {
        try await perform(workspace, logger: logger) { context in
            try await Self.updateField(id, update, context: &context)
        }
    }

    static func updateField(_ id: UUID, _ update: FieldUpdate, context: inout Context) async throws {
        guard let field = context.schema.field(id: id) else { throw AtriumError(.notFound, "Field metadata \(id) not found") }
        let object = field.object
        let table = object.targetTableName
        let structural = update.name != nil || update.options != nil || update.defaultValue != nil || update.settings != nil
        if structural, !field.isCustom || protectedFieldNames.contains(field.name) {
            throw AtriumError(.validationFailed, "Standard field \(field.name) cannot have its name, options, default value or settings changed")
        }
        if let label = update.label { try MetadataNameRules.validateLabel(label, what: "field label") }
        if update.isActive == false, object.labelIdentifierField?.id == field.id {
            throw AtriumError(.validationFailed, "The label identifier field \(field.name) cannot be deactivated")
        }
        if update.settings != nil, field.type == .relation {
            throw AtriumError(.validationFailed, "The settings of a relation field cannot be changed")
        }
        if update.settings != nil || update.defaultValue != nil {
            try checkSettings(update.settings ?? field.settings, defaultValue: update.defaultValue ?? field.defaultValue, type: field.type)
        }
        var definition = FieldDefinition(field)
        var options = field.options.map { $0.map { FieldOptionInput(id: $0.id, value: $0.value, label: $0.label, position: $0.position, color: $0.color) } }
        if let newOptions = update.options {
            guard field.type == .select || field.type == .multiSelect else {
                throw AtriumError(.validationFailed, "Only SELECT and MULTI_SELECT fields have options")
            }
            let checked = try checkOptions(newOptions, type: field.type) ?? []
            try migrateOptions(of: field, from: field.options ?? [], to: checked, rebuildIfAdding: update.defaultValue != nil, context: &context)
            options = checked
            definition.options = definitions(of: checked)
        }
        if let newDefault = update.defaultValue {
            try checkDefault(newDefault, type: field.type, options: options)
            definition.defaultValue = newDefault
            try setDefault(definition, table: table, context: &context)
        } else if update.options != nil, let current = field.defaultValue {
            // The current default must still name an option; a rebuilt enum type dropped it, so it is set again.
            try checkDefault(current, type: field.type, options: options)
            try setDefault(definition, table: table, context: &context)
        }
        if let newName = update.name, newName != field.name {
            try await rename(field, to: newName, definition: definition, context: &context)
        }
        try await context.connection.query("""
            UPDATE core."fieldMetadata" SET
                "label" = COALESCE(\(update.label), "label"),
                "description" = CASE WHEN \(update.description != nil) THEN \(update.description ?? nil) ELSE "description" END,
                "icon" = CASE WHEN \(update.icon != nil) THEN \(update.icon ?? nil) ELSE "icon" END,
                "isActive" = COALESCE(\(update.isActive), "isActive"),
                "isLabelSyncedWithName" = COALESCE(\(update.isLabelSyncedWithName), "isLabelSyncedWithName"),
                "defaultValue" = CASE WHEN \(update.defaultValue != nil) THEN \(jsonText(update.defaultValue ?? nil))::jsonb ELSE "defaultValue" END,
                "settings" = CASE WHEN \(update.settings != nil) THEN \(jsonText(update.settings ?? nil))::jsonb ELSE "settings" END,
                "options" = CASE WHEN \(update.options != nil) THEN \(optionsJSON(options))::jsonb ELSE "options" END,
                "updatedAt" = now()
            WHERE "id" = \(id)
            """, logger: context.logger)
    }

    /// Renames the field and its columns; a relation's inverse keeps pointing at it by id.
    static func rename(_ field: WorkspaceSchema.Field, to newName: String, definition: FieldDefinition, context: inout Context) async throws {
        let object = field.object
        let table = object.targetTableName
        var renamed = definition
        renamed.name = newName
        let oldColumns = try definition.columns()
        let newColumns = try renamed.columns()
        var existing = try await context.columns(of: table)
        existing.subtract(oldColumns.map(\.name))
        try checkFieldName(newName, columns: newColumns, object: object, existing: existing, ignoring: field.name)
        context.plan.statements += try context.ddl.renameColumns(from: oldColumns, to: newColumns, table: table)
        if field.type == .relation, field.relationType == .manyToOne {
            context.plan.statements.append(try context.ddl.renameForeignKey(table: table, from: field.name + "Id", to: newName + "Id"))
            try await context.connection.query("""
                UPDATE core."fieldMetadata" SET "settings" = jsonb_set(COALESCE("settings", '{}'::jsonb), '{joinColumnName}', to_jsonb(\(newName + "Id")::text))
                WHERE "id" = \(field.id)
                """, logger: context.logger)
        }
        if field.type == .morphRelation {
            for (old, new) in zip(oldColumns, newColumns) {
                context.plan.statements.append(try context.ddl.renameForeignKey(table: table, from: old.name, to: new.name))
            }
        }
        try await context.connection.query(#"UPDATE core."fieldMetadata" SET "name" = \#(newName) WHERE "id" = \#(field.id)"#, logger: context.logger)
    }

    /// Sets or drops the column defaults of `definition` (each property of a composite).
    private static func setDefault(_ definition: FieldDefinition, table: String, context: inout Context) throws {
        let tableID = try SQLIdentifier(table)
        for column in try definition.columns() {
            let name = try SQLIdentifier(column.name)
            if let defaultSQL = column.defaultSQL {
                context.plan.statements.append("ALTER TABLE \(context.ddl.schema).\(tableID) ALTER COLUMN \(name) SET DEFAULT \(defaultSQL)")
            } else {
                context.plan.statements.append("ALTER TABLE \(context.ddl.schema).\(tableID) ALTER COLUMN \(name) DROP DEFAULT")
            }
        }
    }

    static func jsonText(_ value: JSONValue?) -> String? {
        guard let value else { return nil }
        return (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func optionsJSON(_ options: [FieldOptionInput]?) -> String? {
        guard let options else { return nil }
        let rows = options.enumerated().map { offset, option in
            MetadataRows.FieldOptionRow(id: option.id ?? UUID(), value: option.value, label: option.label,
                                        position: option.position ?? offset, color: option.color ?? "gray")
        }
        return (try? JSONEncoder().encode(rows)).map { String(decoding: $0, as: UTF8.self) }
    }
}
