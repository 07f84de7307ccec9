import Foundation

extension MetadataChanges {
    /// Fields every object has, which cannot be renamed, changed in shape or deleted.
    static let protectedFieldNames: Set<String> = [
        "id", "createdAt", "updatedAt", "deletedAt", "position", "createdBy", "updatedBy", "searchVector",
    ]

    /// Checks a new field name on `object` and the columns it would add to `table` (`existing`: its columns now).
    static func checkFieldName(
        _ name: String, columns: [ColumnSpec], object: WorkspaceSchema.Object, existing: Set<String>, ignoring: String? = nil
    ) throws {
        try MetadataNameRules.validate(name, what: "field name")
        if name != ignoring, object.field(named: name) != nil {
            throw AtriumError(.validationFailed, "Name \"\(name)\" is not available: object \(object.nameSingular) already has a field with this name")
        }
        try checkColumns(columns, table: object.targetTableName, existing: existing, object: object.nameSingular)
    }

    /// Checks that the columns are valid identifiers that do not exist yet on `table` (composite columns included).
    static func checkColumns(_ columns: [ColumnSpec], table: String, existing: Set<String>, object: String) throws {
        for column in columns {
            guard (try? SQLIdentifier(column.name)) != nil else {
                throw AtriumError(.validationFailed, "Name is too long: its column \"\(column.name)\" exceeds 63 characters")
            }
            if column.type == .enumeration || column.type == .enumerationArray, column.enumTypeName(table: table).utf8.count > 63 {
                throw AtriumError(.validationFailed, "Name is too long: its enum type \"\(column.enumTypeName(table: table))\" exceeds 63 characters")
            }
            if existing.contains(column.name) {
                throw AtriumError(.validationFailed, "Name is not available: column \"\(column.name)\" already exists on object \(object)")
            }
        }
    }

    /// Checks the options of a SELECT or MULTI_SELECT field: at least one, values upper snake case and unique, labels set.
    static func checkOptions(_ options: [FieldOptionInput]?, type: FieldType) throws -> [FieldOptionInput]? {
        guard type == .select || type == .multiSelect else { return nil }
        guard let options, !options.isEmpty else {
            throw AtriumError(.validationFailed, "Options are required for a \(type.rawValue) field (at least one)")
        }
        var values: Set<String> = []
        var ids: Set<UUID> = []
        for option in options {
            try MetadataNameRules.validateOptionValue(option.value)
            try MetadataNameRules.validateLabel(option.label, what: "label of option \(option.value)")
            guard values.insert(option.value).inserted else {
                throw AtriumError(.validationFailed, "Option value \"\(option.value)\" is used twice")
            }
            if let id = option.id, !ids.insert(id).inserted {
                throw AtriumError(.validationFailed, "Option id \(id) is used twice")
            }
        }
        return options
    }

    /// Checks that a SELECT / MULTI_SELECT default names options (`"'VALUE'"`, or an array of them).
    static func checkDefault(_ value: JSONValue?, type: FieldType, options: [FieldOptionInput]?) throws {
        guard let value, value != .null, type == .select || type == .multiSelect else { return }
        let allowed = Set((options ?? []).map { "'\($0.value)'" })
        let given: [JSONValue] = if case .array(let items) = value { items } else { [value] }
        if type == .select, case .array = value {
            throw AtriumError(.validationFailed, "The default value of a SELECT field is one option value, like \"'VALUE'\"")
        }
        for item in given {
            guard case .string(let text) = item, allowed.contains(text) else {
                throw AtriumError(.validationFailed, "Default value \(item) is not one of the field's options (written quoted, like \"'VALUE'\")")
            }
        }
    }

    /// `options` as stored definitions, positions filled in order.
    static func definitions(of options: [FieldOptionInput]?) -> [FieldOption]? {
        options?.enumerated().map { offset, option in
            FieldOption(option.value, option.label, position: option.position ?? offset, color: option.color ?? "gray")
        }
    }
}
