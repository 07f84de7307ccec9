import AtriumCore
import Foundation

/// How the console shows and edits one field of a record: the text of its cell, a link for relations, and the value
/// the in-place editor starts from.
struct ConsoleCells {
    let schema: WorkspaceSchema

    /// The fields of `object` a page may show: active, readable by the caller, not system (except `createdAt` and
    /// `updatedAt`), not a search vector or position.
    static func showable(_ object: WorkspaceSchema.Object, policy: ObjectPolicy) -> [WorkspaceSchema.Field] {
        object.fields.filter { field in
            guard field.isActive, field.name != "deletedAt", !policy.unreadableFields.contains(field.name) else { return false }
            if field.type == .tsVector || field.type == .position { return false }
            if field.isSystem { return ["createdAt", "updatedAt", "createdBy"].contains(field.name) }
            return true
        }
    }

    /// The selection rendering `fields` (and `id`, `deletedAt`): scalars and composites whole, a many-to-one relation as
    /// its target's id and label, a one-to-many relation (when `relationsToMany`) as its first records' ids and labels.
    static func tree(_ fields: [WorkspaceSchema.Field], relationsToMany: Bool = false) -> RecordTree {
        var entries: [(key: String, value: RecordTree.Value)] = [("id", .field("id")), ("deletedAt", .field("deletedAt"))]
        for field in fields where field.name != "id" && field.name != "deletedAt" {
            switch field.storage {
            case .scalar:
                entries.append((field.name, .field(field.name)))
            case .composite(let properties):
                entries.append((field.name, .composite(field: field.name, properties: properties.map { ($0.property, $0.property) }, typeName: "")))
            case .foreignKey(_, let target):
                entries.append((field.name, .toOne(field: field.name, labelTree(target))))
            case .oneToMany(let target, _) where relationsToMany:
                entries.append((field.name, .toManyArray(field: field.name, labelTree(target))))
            case .morph(let targets):
                for (column, _) in targets { entries.append((column.name, .field(column.name))) }
            default:
                continue
            }
        }
        return RecordTree(entries)
    }

    /// A related record's id and label.
    static func labelTree(_ object: WorkspaceSchema.Object) -> RecordTree {
        var entries: [(key: String, value: RecordTree.Value)] = [("id", .field("id"))]
        if let label = object.labelIdentifierField {
            if case .composite(let properties) = label.storage {
                entries.append(("label", .composite(field: label.name, properties: properties.map { ($0.property, $0.property) }, typeName: "")))
            } else {
                entries.append(("label", .field(label.name)))
            }
        }
        return RecordTree(entries)
    }

    /// The label of a record of `object` (its label identifier field as text), or "Untitled".
    static func label(_ record: JSONValue?, of object: WorkspaceSchema.Object) -> String {
        guard let record, let field = object.labelIdentifierField else { return "Untitled" }
        let text = display(record[field.name] ?? .null, field: field)
        return text.isEmpty ? "Untitled" : text
    }

    /// A related record's label as rendered by ``labelTree(_:)``.
    static func relatedLabel(_ record: JSONValue, of object: WorkspaceSchema.Object) -> String {
        guard let field = object.labelIdentifierField else { return "Untitled" }
        let text = display(record["label"] ?? .null, field: field)
        return text.isEmpty ? "Untitled" : text
    }

    /// One cell: `field`'s value in `record` for a page's template.
    func cell(_ field: WorkspaceSchema.Field, of record: JSONValue, editable: Bool) -> [String: Any] {
        let value = record[field.name] ?? .null
        var cell: [String: Any] = [
            "field": field.name, "type": field.type.rawValue, "label": field.label,
            "text": Self.display(value, field: field), "editable": editable && Self.isEditable(field),
            "value": Self.editorValue(value),
            // Every key a cell template reads is set, so that Mustache never finds it in an enclosing context.
            "href": false, "open": false, "chips": [[String: Any]](), "hasChips": false, "related": [[String: Any]](), "target": false, "optionsJSON": false,
        ]
        switch field.storage {
        case .foreignKey(_, let target):
            cell["target"] = target.namePlural
            cell["targetLabelField"] = target.labelIdentifierField?.name ?? ""
            cell["targetLabelComposite"] = target.labelIdentifierField?.type.isComposite ?? false
            if case .object = value, let id = value["id"]?.string {
                cell["href"] = "/console/objects/\(target.namePlural)/\(id)"
                cell["text"] = Self.relatedLabel(value, of: target)
                cell["value"] = id
            }
        case .oneToMany(let target, _):
            cell["related"] = (value.array ?? []).compactMap { item -> [String: Any]? in
                guard let id = item["id"]?.string else { return nil }
                return ["href": "/console/objects/\(target.namePlural)/\(id)", "text": Self.relatedLabel(item, of: target)]
            }
            cell["target"] = target.namePlural
            cell["text"] = ""
        default:
            break
        }
        if let options = field.options, field.type == .select || field.type == .multiSelect {
            let chosen = Set(value.array?.compactMap(\.string) ?? value.string.map { [$0] } ?? [])
            cell["options"] = options.map { ["value": $0.value, "label": $0.label, "color": $0.color ?? "gray", "chosen": chosen.contains($0.value)] }
            cell["chips"] = options.filter { chosen.contains($0.value) }.map { ["label": $0.label, "color": $0.color ?? "gray"] }
            cell["hasChips"] = !chosen.isEmpty
            let list = JSONValue.array(options.map { .object(["value": .string($0.value), "label": .string($0.label)]) })
            cell["optionsJSON"] = Self.editorValue(list)
        }
        return cell
    }

    /// Whether the console edits `field` in place (relations to many and system fields are edited elsewhere).
    static func isEditable(_ field: WorkspaceSchema.Field) -> Bool {
        guard !field.isSystem, !field.isUIReadOnly else { return false }
        switch field.type {
        case .actor, .tsVector, .position, .files, .morphRelation, .uuid: return false
        case .relation: return field.relationType == .manyToOne
        default: return true
        }
    }

    /// The JSON the in-place editor starts from (the API's own shape of the value).
    static func editorValue(_ value: JSONValue) -> String {
        guard let data = try? JSONEncoder().encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// `value` as a person reads it.
    static func display(_ value: JSONValue, field: WorkspaceSchema.Field) -> String {
        if value == .null { return "" }
        switch field.type {
        case .boolean:
            return value.bool.map { $0 ? "Yes" : "No" } ?? ""
        case .currency:
            guard let micros = value["amountMicros"]?.number else { return "" }
            let code = value["currencyCode"]?.string ?? ""
            return (code.isEmpty ? "" : code + " ") + Self.decimal(micros / 1_000_000)
        case .number, .numeric, .rating:
            if let number = value.number { return Self.decimal(number) }
            return value.string ?? ""
        case .fullName:
            return [value["firstName"]?.string, value["lastName"]?.string].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        case .links:
            let label = value["primaryLinkLabel"]?.string ?? ""
            return label.isEmpty ? (value["primaryLinkUrl"]?.string ?? "") : label
        case .emails:
            return value["primaryEmail"]?.string ?? ""
        case .phones:
            let number = value["primaryPhoneNumber"]?.string ?? ""
            guard !number.isEmpty else { return "" }
            let prefix = value["primaryPhoneCallingCode"]?.string ?? ""
            return prefix.isEmpty ? number : prefix + " " + number
        case .address:
            return [value["addressStreet1"]?.string, value["addressCity"]?.string, value["addressCountry"]?.string]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        case .actor:
            return value["name"]?.string ?? ""
        case .richText, .richTextV2:
            let text = value["markdown"]?.string ?? value.string ?? ""
            return text.count > 120 ? String(text.prefix(120)) + "…" : text
        case .dateTime:
            guard let text = value.string else { return "" }
            return text.count >= 16 ? String(text.prefix(16)).replacingOccurrences(of: "T", with: " ") : text
        case .select:
            guard let raw = value.string else { return "" }
            return field.options?.first { $0.value == raw }?.label ?? raw
        case .multiSelect, .array:
            let items = value.array?.compactMap(\.string) ?? []
            return items.map { item in field.options?.first { $0.value == item }?.label ?? item }.joined(separator: ", ")
        case .rawJSON:
            return editorValue(value)
        default:
            if let text = value.string { return text }
            if let number = value.number { return Self.decimal(number) }
            return editorValue(value)
        }
    }

    /// A number with thousands separators and at most two decimals.
    static func decimal(_ number: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = 2
        formatter.locale = Locale(identifier: "en_US")
        return formatter.string(from: NSNumber(value: number)) ?? String(number)
    }
}
