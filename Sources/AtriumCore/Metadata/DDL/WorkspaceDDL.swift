/// The DDL of a workspace's tables, derived from object definitions.
///
/// Statements are trusted text built only from validated identifiers (``SQLIdentifier``) and literals
/// (``SQLLiteral``); they run as one batch in the workspace-creation transaction.
public struct WorkspaceDDL: Sendable {
    public let schema: SQLIdentifier
    /// Every object of the workspace, by `nameSingular`, to resolve relation targets.
    public let objects: [String: ObjectDefinition]

    public init(schema: SQLIdentifier, objects: [ObjectDefinition]) {
        self.schema = schema
        self.objects = Dictionary(objects.map { ($0.nameSingular, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The schema, every enum type and table, then every foreign key and index, in an order that always applies.
    public func createWorkspace(_ ordered: [ObjectDefinition]) throws -> [String] {
        var statements = ["CREATE SCHEMA \(schema)"]
        for object in ordered { statements += try createTable(object) }
        for object in ordered { statements += try foreignKeys(object) }
        return statements
    }

    /// Enum types, the table, its search-vector and unique indexes.
    public func createTable(_ object: ObjectDefinition) throws -> [String] {
        let table = try SQLIdentifier(object.tableName)
        var statements: [String] = []
        var columnLines: [String] = []
        for field in object.allFields where field.type != .tsVector {
            for column in try field.columns() {
                let name = try SQLIdentifier(column.name)
                let type: String
                if let sqlName = column.type.sqlName {
                    type = sqlName
                } else {
                    let enumName = try SQLIdentifier(column.enumTypeName(table: object.tableName))
                    let labels = try column.enumValues.map { try SQLLiteral($0).quoted }.joined(separator: ", ")
                    statements.append("CREATE TYPE \(schema).\(enumName) AS ENUM (\(labels))")
                    type = "\(schema).\(enumName)" + (column.type == .enumerationArray ? "[]" : "")
                }
                var line = "\(name) \(type)"
                if let defaultSQL = column.defaultSQL { line += " DEFAULT \(defaultSQL)" }
                if !column.isNullable { line += " NOT NULL" }
                if column.name == "id" { line += " PRIMARY KEY" }
                columnLines.append(line)
            }
        }
        if object.systemFields.contains(.searchVector) {
            columnLines.append("\"searchVector\" tsvector GENERATED ALWAYS AS (\(try searchExpression(object))) STORED")
        }
        statements.insert("CREATE TABLE \(schema).\(table) (\n  " + columnLines.joined(separator: ",\n  ") + "\n)", at: statements.count)
        if object.systemFields.contains(.searchVector) {
            let index = try SQLIdentifier(Self.indexName("IDX", object.tableName, "searchVector"))
            statements.append("CREATE INDEX \(index) ON \(schema).\(table) USING GIN (\"searchVector\")")
        }
        for field in object.allFields where field.isUnique {
            let columns = try field.columns().map { try SQLIdentifier($0.name).quoted }.joined(separator: ", ")
            let index = try SQLIdentifier(Self.indexName("IDX_UNIQUE", object.tableName, field.name))
            statements.append("CREATE UNIQUE INDEX \(index) ON \(schema).\(table) (\(columns)) WHERE \"deletedAt\" IS NULL")
        }
        return statements
    }

    /// Foreign keys (and their indexes) of the object's many-to-one relations.
    public func foreignKeys(_ object: ObjectDefinition) throws -> [String] {
        let table = try SQLIdentifier(object.tableName)
        var statements: [String] = []
        for field in object.allFields {
            let relations: [(RelationDefinition, String)]
            switch field.type {
            case .relation:
                guard let relation = field.relation, relation.type == .manyToOne else { continue }
                relations = [(relation, field.name + "Id")]
            case .morphRelation:
                let columns = try field.columns().map(\.name)
                relations = Array(zip(field.morphTargets.filter { $0.type == .manyToOne }, columns))
            default:
                continue
            }
            for (relation, columnName) in relations {
                guard let target = objects[relation.targetObject] else {
                    throw FieldDefinitionError(field: "\(object.nameSingular).\(field.name)", reason: "unknown relation target \(relation.targetObject)")
                }
                let column = try SQLIdentifier(columnName)
                let targetTable = try SQLIdentifier(target.tableName)
                let constraint = try SQLIdentifier(Self.indexName("FK", object.tableName, columnName))
                let index = try SQLIdentifier(Self.indexName("IDX", object.tableName, columnName))
                let action = switch relation.onDelete ?? .setNull {
                case .cascade: "CASCADE"
                case .restrict: "RESTRICT"
                case .setNull: "SET NULL"
                case .noAction: "NO ACTION"
                }
                statements.append(
                    "ALTER TABLE \(schema).\(table) ADD CONSTRAINT \(constraint) FOREIGN KEY (\(column)) "
                        + "REFERENCES \(schema).\(targetTable) (\"id\") ON DELETE \(action)"
                )
                statements.append("CREATE INDEX \(index) ON \(schema).\(table) (\(column))")
            }
        }
        return statements
    }

    /// `to_tsvector('simple', …)` over the object's search fields, accent-insensitive, as Twenty computes it.
    func searchExpression(_ object: ObjectDefinition) throws -> String {
        var parts: [String] = []
        for name in object.searchFields {
            guard let field = object.field(named: name) else {
                throw FieldDefinitionError(field: "\(object.nameSingular).\(name)", reason: "search field does not exist")
            }
            if let composite = CompositeType.of(field.type) {
                for property in composite.properties where property.isSearchable {
                    let column = try SQLIdentifier(CompositeType.columnName(field: field.name, property: property.name))
                    parts.append("COALESCE(public.unaccent_immutable(\(column)), '')")
                    if field.type == .emails {
                        parts.append("COALESCE(public.unaccent_immutable(SPLIT_PART(\(column), '@', 2)), '')")
                    }
                }
                if field.type == .phones {
                    let number = try SQLIdentifier(CompositeType.columnName(field: field.name, property: "primaryPhoneNumber"))
                    let calling = try SQLIdentifier(CompositeType.columnName(field: field.name, property: "primaryPhoneCallingCode"))
                    parts.append("COALESCE(\(calling) || \(number), '')")
                    parts.append("COALESCE(REPLACE(\(calling), '+', '') || \(number), '')")
                }
            } else {
                parts.append("COALESCE(public.unaccent_immutable(\(try SQLIdentifier(field.name))), '')")
            }
        }
        let text = parts.isEmpty ? "''" : parts.joined(separator: " || ' ' || ")
        return "to_tsvector('simple', \(text))"
    }

    /// A deterministic index or constraint name within Postgres' 63-byte limit.
    static func indexName(_ prefix: String, _ table: String, _ column: String) -> String {
        let name = "\(prefix)_\(table)_\(column)"
        guard name.utf8.count > 63 else { return name }
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return String(name.prefix(54)) + "_" + String(hash, radix: 16)
    }
}
