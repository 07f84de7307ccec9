/// The DDL of one metadata change on a workspace table, built only from validated identifiers and literals.
///
/// Statements that must run inside the change's transaction are cheap whatever the table holds: columns are added
/// without a table rewrite (constant defaults only; a volatile default is set separately and applies to new rows),
/// foreign keys are added `NOT VALID`. The costly parts, index builds and constraint validation, become
/// ``DeferredDDLTask``s that run after the commit (`CREATE INDEX CONCURRENTLY`, `VALIDATE CONSTRAINT`).
struct ChangeDDL {
    let schema: SQLIdentifier

    /// What one change runs in its transaction, and what it defers until after the commit.
    struct Plan {
        var statements: [String] = []
        var deferred: [DeferredDDLTask] = []

        mutating func append(_ other: Plan) {
            statements += other.statements
            deferred += other.deferred
        }
    }

    /// The columns of `field`, added to `table`, with enum types, foreign keys (`NOT VALID`) and deferred indexes.
    /// - Parameter targetTables: The table of each relation target, by `nameSingular`.
    func addField(_ field: FieldDefinition, table: String, targetTables: [String: String]) throws -> Plan {
        var plan = Plan()
        let tableID = try SQLIdentifier(table)
        for column in try field.columns() {
            let name = try SQLIdentifier(column.name)
            let (type, createType) = try columnType(column, table: table)
            if let createType { plan.statements.append(createType) }
            let volatile = column.defaultSQL == "gen_random_uuid()"
            var line = "ALTER TABLE \(schema).\(tableID) ADD COLUMN \(name) \(type)"
            if let defaultSQL = column.defaultSQL, !volatile { line += " DEFAULT \(defaultSQL)" }
            if !column.isNullable { line += " NOT NULL" }
            plan.statements.append(line)
            if volatile, let defaultSQL = column.defaultSQL {
                plan.statements.append("ALTER TABLE \(schema).\(tableID) ALTER COLUMN \(name) SET DEFAULT \(defaultSQL)")
            }
        }
        if field.type == .relation, let relation = field.relation, relation.type == .manyToOne {
            guard let targetTable = targetTables[relation.targetObject] else {
                throw AtriumError(.validationFailed, "Relation target \(relation.targetObject) does not exist")
            }
            plan.append(try foreignKey(table: table, column: field.name + "Id", targetTable: targetTable, onDelete: relation.onDelete ?? .setNull))
        }
        if field.type == .morphRelation {
            for (target, column) in zip(field.morphTargets, try field.columns()) {
                guard let targetTable = targetTables[target.targetObject] else {
                    throw AtriumError(.validationFailed, "Relation target \(target.targetObject) does not exist")
                }
                plan.append(try foreignKey(table: table, column: column.name, targetTable: targetTable, onDelete: target.onDelete ?? .setNull))
            }
        }
        if field.isUnique {
            let columns = try field.columns().map { try SQLIdentifier($0.name).quoted }.joined(separator: ", ")
            let index = try SQLIdentifier(WorkspaceDDL.indexName("IDX_UNIQUE", table, field.name))
            plan.deferred.append(DeferredDDLTask(
                kind: .createIndex, schemaName: schema.name, objectName: index.name,
                statement: "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \(index) ON \(schema).\(tableID) (\(columns)) WHERE \"deletedAt\" IS NULL"
            ))
        }
        return plan
    }

    /// A `NOT VALID` foreign key on `table.column`, validated and indexed after the commit.
    func foreignKey(table: String, column: String, targetTable: String, onDelete: RelationOnDelete) throws -> Plan {
        let tableID = try SQLIdentifier(table)
        let columnID = try SQLIdentifier(column)
        let constraint = try SQLIdentifier(WorkspaceDDL.indexName("FK", table, column))
        let index = try SQLIdentifier(WorkspaceDDL.indexName("IDX", table, column))
        let action = switch onDelete {
        case .cascade: "CASCADE"
        case .restrict: "RESTRICT"
        case .setNull: "SET NULL"
        case .noAction: "NO ACTION"
        }
        var plan = Plan()
        plan.statements.append(
            "ALTER TABLE \(schema).\(tableID) ADD CONSTRAINT \(constraint) FOREIGN KEY (\(columnID)) "
                + "REFERENCES \(schema).\(try SQLIdentifier(targetTable)) (\"id\") ON DELETE \(action) NOT VALID"
        )
        plan.deferred.append(DeferredDDLTask(
            kind: .validateConstraint, schemaName: schema.name, objectName: constraint.name,
            statement: "ALTER TABLE \(schema).\(tableID) VALIDATE CONSTRAINT \(constraint)"
        ))
        plan.deferred.append(DeferredDDLTask(
            kind: .createIndex, schemaName: schema.name, objectName: index.name,
            statement: "CREATE INDEX CONCURRENTLY IF NOT EXISTS \(index) ON \(schema).\(tableID) (\(columnID))"
        ))
        return plan
    }

    /// Drops the columns of a field (their foreign keys and indexes go with them) and its enum types.
    func dropColumns(_ columns: [ColumnSpec], table: String) throws -> [String] {
        let tableID = try SQLIdentifier(table)
        var statements: [String] = []
        for column in columns {
            statements.append("ALTER TABLE \(schema).\(tableID) DROP COLUMN IF EXISTS \(try SQLIdentifier(column.name))")
            if column.type == .enumeration || column.type == .enumerationArray {
                statements.append("DROP TYPE IF EXISTS \(schema).\(try SQLIdentifier(column.enumTypeName(table: table)))")
            }
        }
        return statements
    }

    /// Renames columns pairwise (old → new), with their enum types, foreign keys and indexes.
    func renameColumns(from old: [ColumnSpec], to new: [ColumnSpec], table: String) throws -> [String] {
        let tableID = try SQLIdentifier(table)
        var statements: [String] = []
        for (before, after) in zip(old, new) where before.name != after.name {
            statements.append("ALTER TABLE \(schema).\(tableID) RENAME COLUMN \(try SQLIdentifier(before.name)) TO \(try SQLIdentifier(after.name))")
            if before.type == .enumeration || before.type == .enumerationArray {
                statements.append("ALTER TYPE \(schema).\(try SQLIdentifier(before.enumTypeName(table: table))) "
                                  + "RENAME TO \(try SQLIdentifier(after.enumTypeName(table: table)))")
            }
            for prefix in ["IDX", "IDX_UNIQUE"] {
                statements.append("ALTER INDEX IF EXISTS \(schema).\(try SQLIdentifier(WorkspaceDDL.indexName(prefix, table, before.name))) "
                                  + "RENAME TO \(try SQLIdentifier(WorkspaceDDL.indexName(prefix, table, after.name)))")
            }
        }
        return statements
    }

    /// Renames a table with everything named after it: its primary key, search and column indexes, enum types and the
    /// foreign key constraints of `foreignKeyColumns`. Only catalog entries change, whatever the table holds.
    func renameTable(from old: String, to new: String, columns: [ColumnSpec], uniqueFieldNames: [String],
                     foreignKeyColumns: [String]) throws -> [String] {
        let oldID = try SQLIdentifier(old)
        let newID = try SQLIdentifier(new)
        var statements = ["ALTER TABLE \(schema).\(oldID) RENAME TO \(newID)"]
        func renameIndex(_ before: String, _ after: String) throws {
            statements.append("ALTER INDEX IF EXISTS \(schema).\(try SQLIdentifier(before)) RENAME TO \(try SQLIdentifier(after))")
        }
        try renameIndex(old + "_pkey", new + "_pkey")
        try renameIndex(WorkspaceDDL.indexName("IDX", old, "searchVector"), WorkspaceDDL.indexName("IDX", new, "searchVector"))
        for name in Set(columns.map(\.name) + uniqueFieldNames).sorted() {
            for prefix in ["IDX", "IDX_UNIQUE"] where name != "searchVector" {
                try renameIndex(WorkspaceDDL.indexName(prefix, old, name), WorkspaceDDL.indexName(prefix, new, name))
            }
        }
        for column in columns where column.type == .enumeration || column.type == .enumerationArray {
            statements.append("ALTER TYPE \(schema).\(try SQLIdentifier(column.enumTypeName(table: old))) "
                              + "RENAME TO \(try SQLIdentifier(column.enumTypeName(table: new)))")
        }
        for column in foreignKeyColumns {
            statements.append("ALTER TABLE \(schema).\(newID) RENAME CONSTRAINT \(try SQLIdentifier(WorkspaceDDL.indexName("FK", old, column))) "
                              + "TO \(try SQLIdentifier(WorkspaceDDL.indexName("FK", new, column)))")
        }
        return statements
    }

    /// Renames a relation's foreign key constraint along with its column.
    func renameForeignKey(table: String, from oldColumn: String, to newColumn: String) throws -> String {
        "ALTER TABLE \(schema).\(try SQLIdentifier(table)) RENAME CONSTRAINT \(try SQLIdentifier(WorkspaceDDL.indexName("FK", table, oldColumn))) "
            + "TO \(try SQLIdentifier(WorkspaceDDL.indexName("FK", table, newColumn)))"
    }

    /// The SQL type of `column`, and the `CREATE TYPE` its enum needs.
    func columnType(_ column: ColumnSpec, table: String) throws -> (type: String, createType: String?) {
        if let sqlName = column.type.sqlName { return (sqlName, nil) }
        let enumName = try SQLIdentifier(column.enumTypeName(table: table))
        let labels = try column.enumValues.map { try SQLLiteral($0).quoted }.joined(separator: ", ")
        let type = "\(schema).\(enumName)" + (column.type == .enumerationArray ? "[]" : "")
        return (type, "CREATE TYPE \(schema).\(enumName) AS ENUM (\(labels))")
    }
}
