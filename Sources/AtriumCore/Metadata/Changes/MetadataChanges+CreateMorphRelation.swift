import Foundation
import Logging
import PostgresNIO

extension MetadataChanges {
    /// A MORPH_RELATION field: one `<name><Target>Id` column (with its foreign key) per target on `object`, and on each
    /// target a one-to-many field, named from its `targetFieldLabel`, whose inverse is the morph field.
    ///
    /// The morph field's row carries no target; its targets are the objects whose inverse fields point at it, as for
    /// the standard `noteTarget.target`.
    static func createMorphRelation(
        _ creation: FieldCreation, object: WorkspaceSchema.Object, context: inout Context
    ) async throws -> UUID {
        guard !creation.morphRelations.isEmpty else {
            throw AtriumError(.validationFailed, "A MORPH_RELATION field needs morphRelationsCreationPayload: one entry per target object")
        }
        guard creation.morphRelations.allSatisfy({ $0.type == .manyToOne }) else {
            throw AtriumError(.validationFailed, "A MORPH_RELATION field is created from its MANY_TO_ONE side: every morphRelationsCreationPayload entry needs type MANY_TO_ONE")
        }
        var targets: [(object: WorkspaceSchema.Object, inverse: FieldDefinition)] = []
        for relation in creation.morphRelations {
            guard let target = context.schema.object(id: relation.targetObjectMetadataId) else {
                throw AtriumError(.validationFailed, "Relation target object \(relation.targetObjectMetadataId) does not exist")
            }
            guard !targets.contains(where: { $0.object.id == target.id }) else {
                throw AtriumError(.validationFailed, "Target object \(target.nameSingular) appears twice in morphRelationsCreationPayload")
            }
            let inverseLabel = relation.targetFieldLabel ?? object.labelPlural
            try MetadataNameRules.validateLabel(inverseLabel, what: "target field label")
            let inverse = FieldDefinition.oneToMany(
                MetadataNameRules.camelCase(inverseLabel), label: inverseLabel, target: object.nameSingular, inverse: creation.name,
                icon: relation.targetFieldIcon ?? "IconRelationOneToMany"
            )
            targets.append((target, inverse))
        }
        let onDelete: RelationOnDelete = if case .object(let settings)? = creation.settings, case .string(let raw)? = settings["onDelete"],
                                            let parsed = RelationOnDelete(rawValue: raw) { parsed } else { creation.morphRelations[0].onDelete }
        let field = FieldDefinition(
            creation.name, .morphRelation, label: creation.label, description: creation.description, icon: creation.icon,
            morphTargets: targets.map { RelationDefinition(.manyToOne, target: $0.object.nameSingular, inverse: $0.inverse.name, onDelete: onDelete) }
        )
        var sourceColumns = try await context.columns(of: object.targetTableName)
        try checkFieldName(creation.name, columns: try field.columns(), object: object, existing: sourceColumns)
        sourceColumns.formUnion(try field.columns().map(\.name))
        for target in targets {
            guard target.inverse.name != creation.name || target.object.id != object.id else {
                throw AtriumError(.validationFailed, "A relation to the same object needs a target field label that differs from the field's name")
            }
            let existing = target.object.id == object.id ? sourceColumns : try await context.columns(of: target.object.targetTableName)
            do {
                try checkFieldName(target.inverse.name, columns: [], object: target.object, existing: existing)
            } catch let error as AtriumError {
                throw AtriumError(.validationFailed, "Target field on \(target.object.nameSingular): \(error.message)")
            }
        }
        context.plan.append(try context.ddl.addField(field, table: object.targetTableName, targetTables: context.tables))
        let id = UUID()
        var rows = [MetadataRows.fieldRow(field, id: id, objectID: object.id, isCustom: true, targetObjectID: nil, targetFieldID: nil)]
        for target in targets {
            rows.append(MetadataRows.fieldRow(target.inverse, id: UUID(), objectID: target.object.id, isCustom: true,
                                              targetObjectID: object.id, targetFieldID: id))
        }
        try await insert(rows, flags: creation, context: context)
        return id
    }
}
