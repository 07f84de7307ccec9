import Foundation
import PostgresNIO

extension MetadataChanges {
    /// Renames a custom object's `nameSingular`, as Twenty does: its table `_<old>` becomes `_<new>` (with its enum
    /// types, indexes and foreign key constraints, whose names derive from the table's), the junction fields named after
    /// it (`noteTarget.<old>`, column `<old>Id`) take the new name, and the columns of morph relations that target it
    /// (`<field><Old>Id`) follow. Relation fields the user named keep their names; foreign keys point at the table, not
    /// its name, so they stay valid. Nothing is copied: every statement is a catalog rename, whatever the table holds.
    static func renameObject(_ object: WorkspaceSchema.Object, to singular: String, plural: String, context: inout Context) async throws {
        guard object.isCustom else { throw AtriumError(.validationFailed, "Standard object \(object.nameSingular) cannot be renamed") }
        try checkObjectNames(singular: singular, plural: plural, schema: context.schema, ignoring: object.id)
        let newTable = "_" + singular
        guard (try? SQLIdentifier(newTable)) != nil else {
            throw AtriumError(.validationFailed, "nameSingular \"\(singular)\" is too long for a table name")
        }
        context.plan.statements += try context.ddl.renameTable(
            from: object.targetTableName, to: newTable,
            columns: object.fields.flatMap(FieldDefinition.storedColumns),
            uniqueFieldNames: object.fields.filter(\.isUnique).map(\.name),
            foreignKeyColumns: object.fields.flatMap(Self.foreignKeyColumns)
        )
        for field in context.schema.objects.flatMap(\.fields) where field.object.id != object.id {
            if field.type == .relation, field.relationType == .manyToOne, field.relationTargetObject?.id == object.id,
               field.name == object.nameSingular {
                // A junction's field named after the object (`noteTarget.invoice`): it takes the new name.
                try await rename(field, to: singular, definition: FieldDefinition(field), context: &context)
            } else if field.type == .morphRelation, field.morphTargetObjects.contains(where: { $0.id == object.id }) {
                let old = field.morphColumnName(target: object)
                let new = field.name + singular.prefix(1).uppercased() + singular.dropFirst() + "Id"
                let columns = FieldDefinition.storedColumns(field).filter { $0.name == old }
                var renamed = columns
                for index in renamed.indices { renamed[index].name = new }
                let table = field.object.targetTableName
                context.plan.statements += try context.ddl.renameColumns(from: columns, to: renamed, table: table)
                context.plan.statements.append(try context.ddl.renameForeignKey(table: table, from: old, to: new))
            }
        }
        try await context.connection.query("""
            UPDATE core."objectMetadata" SET "nameSingular" = \(singular), "targetTableName" = \(newTable), "updatedAt" = now()
            WHERE "id" = \(object.id)
            """, logger: context.logger)
    }

    /// The columns of `field` that carry a foreign key constraint (a many-to-one relation's, each morph target's).
    private static func foreignKeyColumns(_ field: WorkspaceSchema.Field) -> [String] {
        switch field.type {
        case .relation where field.relationType == .manyToOne: [field.name + "Id"]
        case .morphRelation: FieldDefinition.storedColumns(field).map(\.name)
        default: []
        }
    }
}
