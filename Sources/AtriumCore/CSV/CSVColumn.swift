/// One column of a records CSV file, as Twenty's export names it: `Id` first; a field's label; `<Label> Id` for a
/// many-to-one relation; `<Field Label> / <Sub Label>` for each property of a composite field (`Name / First Name`,
/// `Amount / Amount`). Exports write these columns and imports read them back.
public struct CSVColumn: Sendable {
    /// What the column holds.
    public enum Content: Sendable {
        /// The record's `id`.
        case id
        /// A scalar field's one column.
        case scalar(RecordColumn)
        /// One property of a composite field.
        case property(String, RecordColumn)
        /// A many-to-one relation's key (`<name>Id`), or one target's key of a morph relation.
        case foreignKey(RecordColumn, target: WorkspaceSchema.Object)
    }

    /// The header cell.
    public let label: String
    /// The field the column belongs to (nil for `id`).
    public let field: WorkspaceSchema.Field?
    public let content: Content

    /// The table column the cell is read from and written to.
    public var column: RecordColumn {
        switch content {
        case .id: RecordColumn("id", .uuid, table: "")
        case .scalar(let column), .property(_, let column), .foreignKey(let column, _): column
        }
    }

    /// The field's type, or `UUID` for `id`.
    public var fieldType: FieldType { field?.type ?? .uuid }

    /// Twenty's labels of composite properties (`COMPOSITE_FIELD_SUB_FIELD_LABELS`), in its column order.
    static let propertyLabels: [FieldType: [(property: String, label: String)]] = [
        .currency: [("amountMicros", "Amount"), ("currencyCode", "Currency")],
        .emails: [("primaryEmail", "Primary Email"), ("additionalEmails", "Additional Emails")],
        .links: [("primaryLinkLabel", "Link Label"), ("primaryLinkUrl", "Link URL"), ("secondaryLinks", "Secondary Links")],
        .phones: [
            ("primaryPhoneNumber", "Primary Phone Number"), ("primaryPhoneCountryCode", "Primary Phone Country Code"),
            ("primaryPhoneCallingCode", "Primary Phone Calling Code"), ("additionalPhones", "Additional Phones"),
        ],
        .fullName: [("firstName", "First Name"), ("lastName", "Last Name")],
        .address: [
            ("addressStreet1", "Address 1"), ("addressStreet2", "Address 2"), ("addressCity", "City"), ("addressState", "State"),
            ("addressCountry", "Country"), ("addressPostcode", "Post Code"), ("addressLat", "Latitude"), ("addressLng", "Longitude"),
        ],
        .actor: [("source", "Source"), ("name", "Name"), ("workspaceMemberId", "Workspace Member"), ("context", "Context")],
        .richTextV2: [("blocknote", "BlockNote"), ("markdown", "Markdown")],
    ]

    /// The columns of `fields` (or, when nil, of every active non-system field of `object` the caller may read), in
    /// order, after `Id`. One-to-many relations and search vectors have none; neither have fields `policy` hides.
    public static func columns(of object: WorkspaceSchema.Object, fields: [WorkspaceSchema.Field]? = nil, policy: ObjectPolicy) -> [CSVColumn] {
        let chosen = fields ?? object.fields.filter { $0.isActive && !$0.isSystem }
        var columns = [CSVColumn(label: "Id", field: nil, content: .id)]
        for field in chosen where field.name != "id" && field.isActive && !policy.isUnreadable(field.name) {
            columns += Self.columns(of: field)
        }
        return columns
    }

    /// The columns one field is written as.
    static func columns(of field: WorkspaceSchema.Field) -> [CSVColumn] {
        switch field.storage {
        case .scalar(let column):
            return [CSVColumn(label: field.label, field: field, content: .scalar(column))]
        case .composite(let properties):
            let labels = propertyLabels[field.type] ?? properties.map { ($0.property, $0.property) }
            return labels.compactMap { property, label in
                properties.first { $0.property == property }.map { found in
                    CSVColumn(label: "\(field.label) / \(label)", field: field, content: .property(property, found.column))
                }
            }
        case .foreignKey(let column, let target):
            return [CSVColumn(label: "\(field.label) Id", field: field, content: .foreignKey(column, target: target))]
        case .morph(let targets):
            return targets.map { column, target in
                CSVColumn(label: "\(field.label) \(target.labelSingular) Id", field: field, content: .foreignKey(column, target: target))
            }
        case .oneToMany, .hidden:
            return []
        }
    }
}
