import Foundation
import Logging
import PostgresNIO

extension MetadataChanges {
    /// Deletes a custom field: drops its column(s) and enum type and its metadata row; for a RELATION also the inverse
    /// field on the other object and the foreign key column, wherever it is; for a MORPH_RELATION its columns and the
    /// inverse field on every target.
    /// - Throws: ``AtriumError`` `.notFound` for an unknown id; `.validationFailed` for a standard field or the
    ///   object's label identifier.
    public func deleteField(_ id: UUID, in workspace: UUID, logger: Logger) async throws {
        try await perform(workspace, logger: logger) { context in
            try await Self.deleteField(id, context: &context)
        }
    }

    static func deleteField(_ id: UUID, context: inout Context) async throws {
        guard let field = context.schema.field(id: id) else { throw AtriumError(.notFound, "Field metadata \(id) not found") }
        guard field.isCustom, !protectedFieldNames.contains(field.name) else {
            throw AtriumError(.validationFailed, "Standard field \(field.name) cannot be deleted")
        }
        if field.object.labelIdentifierField?.id == field.id {
            throw AtriumError(.validationFailed, "The label identifier field \(field.name) cannot be deleted; choose another label identifier first")
        }
        var doomed = [field]
        if field.type == .relation, let inverse = field.relationTargetField { doomed.append(inverse) }
        if field.type == .morphRelation { doomed += field.morphInverseFields }
        for doomedField in doomed {
            context.plan.statements += try context.ddl.dropColumns(FieldDefinition.storedColumns(doomedField), table: doomedField.object.targetTableName)
        }
        let ids = doomed.map(\.id)
        try await context.connection.query("""
            UPDATE core."objectMetadata" SET "imageIdentifierFieldMetadataId" = NULL
            WHERE "workspaceId" = \(context.workspace) AND "imageIdentifierFieldMetadataId" = ANY(\(ids))
            """, logger: context.logger)
        try await context.connection.query(#"DELETE FROM core."fieldMetadata" WHERE "id" = ANY(\#(ids))"#, logger: context.logger)
    }
}
