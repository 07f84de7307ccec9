import Foundation

extension MetadataChanges {
    /// Moves a SELECT / MULTI_SELECT column from `old` options to `new` ones, keeping the data consistent.
    ///
    /// Options are matched by id (a changed value under the same id is a rename), else by value. Renames and additions
    /// change only the enum type's catalog entry (`ALTER TYPE … RENAME VALUE / ADD VALUE`), whatever the table holds.
    /// Removing values must clear them from the data: the column moves to a new enum type with a `USING` expression
    /// that maps renamed values and drops removed ones (NULL for SELECT, removed from MULTI_SELECT arrays); that
    /// rewrites the table, as any change of stored values must. So does adding a value that the same update makes
    /// the default, since PostgreSQL refuses a freshly added enum value before its transaction commits. Each record
    /// that held a removed value gets an `updated` event, committed with the change.
    static func migrateOptions(
        of field: WorkspaceSchema.Field, from old: [WorkspaceSchema.Option], to new: [FieldOptionInput], rebuildIfAdding: Bool,
        context: inout Context
    ) throws {
        var renames: [(from: String, to: String)] = []
        var kept: Set<String> = []
        var matchedOld: Set<String> = []
        for option in new {
            if let id = option.id, let previous = old.first(where: { $0.id == id }) {
                matchedOld.insert(previous.value)
                if previous.value != option.value { renames.append((previous.value, option.value)) } else { kept.insert(option.value) }
            }
        }
        for option in new where option.id == nil || !old.contains(where: { $0.id == option.id }) {
            if old.contains(where: { $0.value == option.value }), !matchedOld.contains(option.value) {
                matchedOld.insert(option.value)
                kept.insert(option.value)
            }
        }
        let renamedTargets = Set(renames.map(\.to))
        let removed = old.map(\.value).filter { !matchedOld.contains($0) }
        let added = new.map(\.value).filter { !kept.contains($0) && !renamedTargets.contains($0) }
        guard !renames.isEmpty || !removed.isEmpty || !added.isEmpty else { return }

        let table = field.object.targetTableName
        let schema = context.ddl.schema
        let tableID = try SQLIdentifier(table)
        let column = try SQLIdentifier(field.name)
        let enumName = try SQLIdentifier("\(table)_\(field.name)_enum")
        context.plan.statements += try viewGroupChanges(of: field, removed: removed, renames: renames, added: added)
        if removed.isEmpty, !(rebuildIfAdding && !added.isEmpty) {
            // Catalog-only: two-step renames (so that swapped values never collide), then additions.
            for (index, rename) in renames.enumerated() {
                context.plan.statements.append("ALTER TYPE \(schema).\(enumName) RENAME VALUE \(try SQLLiteral(rename.from).quoted) TO '__atrium_\(index)__'")
            }
            for (index, rename) in renames.enumerated() {
                context.plan.statements.append("ALTER TYPE \(schema).\(enumName) RENAME VALUE '__atrium_\(index)__' TO \(try SQLLiteral(rename.to).quoted)")
            }
            for value in added {
                context.plan.statements.append("ALTER TYPE \(schema).\(enumName) ADD VALUE IF NOT EXISTS \(try SQLLiteral(value).quoted)")
            }
            return
        }
        // Rebuild: a new type with the final values, the column converted, the old type dropped and the new one renamed.
        let temporary = try SQLIdentifier("atrium_enum_" + UUID().uuidString.prefix(8).lowercased())
        let labels = try new.map { try SQLLiteral($0.value).quoted }.joined(separator: ", ")
        let text = "\(column)::text"
        let using: String
        if field.type == .multiSelect {
            var expression = "\(column)::text[]"
            for value in removed { expression = "array_remove(\(expression), \(try SQLLiteral(value).quoted))" }
            for (index, rename) in renames.enumerated() {
                expression = "array_replace(\(expression), \(try SQLLiteral(rename.from).quoted), '__atrium_\(index)__')"
            }
            for (index, rename) in renames.enumerated() {
                expression = "array_replace(\(expression), '__atrium_\(index)__', \(try SQLLiteral(rename.to).quoted))"
            }
            using = "(\(expression))::\(schema).\(temporary)[]"
        } else {
            var cases: [String] = []
            if !removed.isEmpty {
                cases.append("WHEN \(text) IN (\(try removed.map { try SQLLiteral($0).quoted }.joined(separator: ", "))) THEN NULL")
            }
            for rename in renames {
                cases.append("WHEN \(text) = \(try SQLLiteral(rename.from).quoted) THEN \(try SQLLiteral(rename.to).quoted)")
            }
            using = "(CASE \(cases.joined(separator: " ")) ELSE \(text) END)::\(schema).\(temporary)"
        }
        // The records that held a removed value are updated: an event each (their former values kept aside, since the
        // column's new type cannot hold them).
        let holders = try SQLIdentifier("atrium_cleared_" + UUID().uuidString.prefix(8).lowercased())
        let removedLabels = try removed.map { try SQLLiteral($0).quoted }.joined(separator: ", ")
        let recordsEvents = !removed.isEmpty && RecordEventStatement.records(field.object)
        if recordsEvents {
            let holds = field.type == .multiSelect ? "\(column)::text[] && ARRAY[\(removedLabels)]::text[]" : "\(text) IN (\(removedLabels))"
            context.plan.statements.append("""
                CREATE TEMPORARY TABLE \(holders) ON COMMIT DROP AS SELECT "id", jsonb_build_object(\(try SQLLiteral(field.name).quoted), \
                to_jsonb(\(column))) AS "beforeFields" FROM \(schema).\(tableID) WHERE \(holds)
                """)
        }
        context.plan.statements += [
            "CREATE TYPE \(schema).\(temporary) AS ENUM (\(labels))",
            "ALTER TABLE \(schema).\(tableID) ALTER COLUMN \(column) DROP DEFAULT",
            "ALTER TABLE \(schema).\(tableID) ALTER COLUMN \(column) TYPE \(schema).\(temporary)\(field.type == .multiSelect ? "[]" : "") USING \(using)",
            "DROP TYPE \(schema).\(enumName)",
            "ALTER TYPE \(schema).\(temporary) RENAME TO \(enumName)",
        ]
        if recordsEvents {
            let eventName = try SQLLiteral(RecordEventAction.updated.eventName(for: field.object)).quoted
            context.plan.statements.append("""
                INSERT INTO core."eventOutbox" ("workspaceId", "name", "objectMetadataId", "recordId", "before", "after", "beforeFields") \
                SELECT \(try SQLLiteral(context.workspace.lowercased).quoted)::uuid, \(eventName), \(try SQLLiteral(field.object.id.lowercased).quoted)::uuid, \
                t."id", to_jsonb(t), to_jsonb(t), h."beforeFields" FROM \(holders) h JOIN \(schema).\(tableID) t ON t."id" = h."id"
                """)
        }
    }

    /// Keeps views in step with `field`'s options, as Twenty does: a removed option's kanban group goes and the option
    /// leaves the filters that name it (a filter left with no option goes too); a renamed option's group and filters
    /// follow; a new option gets a group at the end.
    static func viewGroupChanges(
        of field: WorkspaceSchema.Field, removed: [String], renames: [(from: String, to: String)], added: [String]
    ) throws -> [String] {
        let fieldID = try SQLLiteral(field.id.lowercased).quoted
        let groupsOfField = "(g.\"fieldMetadataId\" = \(fieldID)::uuid OR g.\"viewId\" IN (SELECT v.\"id\" FROM core.\"view\" v WHERE v.\"mainGroupByFieldMetadataId\" = \(fieldID)::uuid))"
        var statements: [String] = []
        if !removed.isEmpty {
            let values = try removed.map { try SQLLiteral($0).quoted }.joined(separator: ", ")
            statements.append("DELETE FROM core.\"viewGroup\" g WHERE \(groupsOfField) AND g.\"fieldValue\" IN (\(values))")
        }
        if !renames.isEmpty {
            let cases = try renames.map { "WHEN \(try SQLLiteral($0.from).quoted) THEN \(try SQLLiteral($0.to).quoted)" }.joined(separator: " ")
            let values = try renames.map { try SQLLiteral($0.from).quoted }.joined(separator: ", ")
            statements.append("UPDATE core.\"viewGroup\" g SET \"fieldValue\" = CASE g.\"fieldValue\" \(cases) END, \"updatedAt\" = now() WHERE \(groupsOfField) AND g.\"fieldValue\" IN (\(values))")
        }
        // Filters hold a JSON string of a list of values ('["NEW","MEETING"]'): map each value, drop the removed ones.
        if !removed.isEmpty || !renames.isEmpty {
            let cases = try renames.map { "WHEN \(try SQLLiteral($0.from).quoted) THEN \(try SQLLiteral($0.to).quoted)" }.joined(separator: " ")
            let mapped = renames.isEmpty ? "e.v" : "CASE e.v \(cases) ELSE e.v END"
            let gone = try removed.map { try SQLLiteral($0).quoted }.joined(separator: ", ")
            let kept = removed.isEmpty ? "true" : "e.v NOT IN (\(gone))"
            let listFilters = "f.\"fieldMetadataId\" = \(fieldID)::uuid AND jsonb_typeof(f.\"value\") = 'string' AND left(f.\"value\" #>> '{}', 1) = '['"
            statements.append("""
                UPDATE core."viewFilter" f SET "value" = to_jsonb(COALESCE((SELECT json_agg(\(mapped) ORDER BY e.n) \
                FROM json_array_elements_text((f."value" #>> '{}')::json) WITH ORDINALITY AS e(v, n) WHERE \(kept)), '[]'::json)::text), \
                "updatedAt" = now() WHERE \(listFilters)
                """)
            statements.append("DELETE FROM core.\"viewFilter\" f WHERE \(listFilters) AND f.\"value\" #>> '{}' = '[]'")
        }
        for value in added {
            statements.append("""
                INSERT INTO core."viewGroup" ("workspaceId", "viewId", "fieldMetadataId", "fieldValue", "position") \
                SELECT v."workspaceId", v."id", \(fieldID)::uuid, \(try SQLLiteral(value).quoted), \
                COALESCE((SELECT max(g."position") + 1 FROM core."viewGroup" g WHERE g."viewId" = v."id"), 0) \
                FROM core."view" v WHERE v."mainGroupByFieldMetadataId" = \(fieldID)::uuid AND v."deletedAt" IS NULL
                """)
        }
        return statements
    }
}
