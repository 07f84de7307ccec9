import Foundation

/// Where each column of an imported CSV file goes, worked out from its header: the export's own labels (`Id`,
/// `Name`, `Domain Name / Link URL`, `Account Owner Id`), field names (`name`, `domainName.primaryLinkUrl`,
/// `domainNamePrimaryLinkUrl`, `accountOwnerId`), a composite field's label or name alone (its main property), and a
/// relation set by a unique field of its target (`Company / Domain Name`, `company.domainName`). An explicit mapping
/// (header → one of those, or null to skip the column) comes first.
///
/// Columns the APIs never write (`Creation date`, `Last update`, `Deleted at`) are skipped, so an export imports back
/// unchanged; any other header that names nothing is refused (400), as are two columns for the same target.
public struct CSVImportMapping: Sendable {
    /// What one file column writes.
    public enum Target: Sendable {
        /// Nothing: skipped (read-only, or mapped to null).
        case skipped
        /// A column of the object's table.
        case column(CSVColumn)
        /// A many-to-one relation, by the target record's value of a unique field (or its id).
        case lookup(field: WorkspaceSchema.Field, key: RecordColumn, target: WorkspaceSchema.Object, label: String)
    }

    /// One target per file column, in file order.
    public let targets: [Target]
    /// File columns skipped, by header.
    public let skipped: [String]

    /// Columns a file may hold that the APIs never write.
    static let readOnlyFields: Set<String> = ["createdAt", "updatedAt", "deletedAt", "searchVector"]

    /// - Parameter mapping: header → target name or label (`nil`: skip the column).
    public init(header: [String], object: WorkspaceSchema.Object, mapping: [String: String?] = [:], policy: ObjectPolicy) throws {
        let resolver = Resolver(object: object)
        var targets: [Target] = []
        var skipped: [String] = []
        var taken: [String: String] = [:]
        for name in header {
            let cleaned = CSVReader.removingInjectionGuard(name).trimmingCharacters(in: .whitespaces)
            let target: Target
            if let explicit = mapping[name] ?? mapping[cleaned] {
                guard let explicit else {
                    targets.append(.skipped)
                    skipped.append(name)
                    continue
                }
                guard let found = resolver.target(explicit) else {
                    throw AtriumError(.badRequest, "The mapping of column '\(name)' names '\(explicit)', which is not a field of \(object.namePlural)")
                }
                target = found
            } else if let found = resolver.target(cleaned) {
                target = found
            } else {
                throw AtriumError(.badRequest, "Unknown column '\(name)': \(object.namePlural) have no field of that name or label. "
                    + "Rename it, drop it, or map it with mapping={\"\(name)\": \"<field name>\"} (null skips it)")
            }
            let key: String
            switch target {
            case .skipped:
                targets.append(.skipped)
                skipped.append(name)
                continue
            case .column(let column):
                if let field = column.field, policy.isUnwritable(field.name) || policy.isUnwritable(column.column.name) { throw AtriumError.permissionDenied() }
                key = column.column.name
            case .lookup(let field, _, _, _):
                if policy.isUnwritable(field.name) { throw AtriumError.permissionDenied() }
                key = field.name + "Id"
            }
            if let previous = taken[key] {
                throw AtriumError(.badRequest, "Columns '\(previous)' and '\(name)' both set \(key)")
            }
            taken[key] = name
            targets.append(target)
        }
        self.targets = targets
        self.skipped = skipped
    }

    /// Finds what a header (or a mapping's target) names.
    struct Resolver {
        let object: WorkspaceSchema.Object
        /// Every writable column, by export label and by names.
        private var byName: [String: CSVImportMapping.Target] = [:]
        private var byLowercased: [String: CSVImportMapping.Target] = [:]

        init(object: WorkspaceSchema.Object) {
            self.object = object
            func add(_ key: String, _ target: CSVImportMapping.Target) {
                if byName[key] == nil { byName[key] = target }
                if byLowercased[key.lowercased()] == nil { byLowercased[key.lowercased()] = target }
            }
            let id = CSVColumn(label: "Id", field: nil, content: .id)
            add("Id", .column(id))
            add("id", .column(id))
            for field in object.fields where field.isActive && field.name != "id" {
                let readOnly = CSVImportMapping.readOnlyFields.contains(field.name)
                let columns = CSVColumn.columns(of: field)
                for column in columns {
                    let target: CSVImportMapping.Target = readOnly ? .skipped : .column(column)
                    add(column.label, target)
                    add(column.column.name, target)
                    if case .property(let property, _) = column.content { add("\(field.name).\(property)", target) }
                }
                if case .composite(let properties) = field.storage, let main = Self.mainProperty(field, properties),
                   let column = columns.first(where: { $0.column.name == main.column.name })
                {
                    add(field.label, readOnly ? .skipped : .column(column))
                    add(field.name, readOnly ? .skipped : .column(column))
                }
                if readOnly { add(field.label, .skipped); add(field.name, .skipped) }
                if case .foreignKey(_, let target) = field.storage {
                    for key in target.fields where key.isActive && key.isUnique {
                        guard let column = Self.keyColumn(key) else { continue }
                        let lookup = CSVImportMapping.Target.lookup(field: field, key: column, target: target, label: "\(field.label) / \(key.label)")
                        add("\(field.label) / \(key.label)", lookup)
                        add("\(field.name).\(key.name)", lookup)
                    }
                }
            }
        }

        func target(_ name: String) -> CSVImportMapping.Target? {
            byName[name] ?? byLowercased[name.lowercased()]
        }

        /// The property a composite field's label alone stands for: its first searchable one (`primaryLinkUrl`,
        /// `primaryEmail`, `primaryPhoneNumber`, `firstName`), else its first.
        static func mainProperty(_ field: WorkspaceSchema.Field, _ properties: [(property: String, column: RecordColumn)])
            -> (property: String, column: RecordColumn)?
        {
            let searchable = CompositeType.of(field.type)?.properties.first(where: \.isSearchable)?.name
            return properties.first { $0.property == searchable } ?? properties.first
        }

        /// The column a unique field is matched on: its own, or its composite's main property.
        static func keyColumn(_ field: WorkspaceSchema.Field) -> RecordColumn? {
            switch field.storage {
            case .scalar(let column): column
            case .composite(let properties): mainProperty(field, properties)?.column
            default: nil
            }
        }
    }
}
