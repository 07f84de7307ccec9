import AtriumCore
import Foundation
import Hummingbird

/// Settings → Data model, for members whose role holds DATA_MODEL: objects and their fields, created, edited,
/// deactivated and deleted through ``MetadataAPI`` (the operations behind `/metadata`), SELECT options and relations
/// with their inverse included.
struct ConsoleDataModelPages: Sendable {
    let templates: ConsoleTemplates
    let workspace: ConsoleWorkspace
    let metadataAPI: MetadataAPI

    /// The field types a member can create from the console.
    static let creatableTypes: [FieldType] = [
        .text, .number, .numeric, .boolean, .date, .dateTime, .select, .multiSelect, .rating, .currency, .fullName, .links,
        .emails, .phones, .address, .richTextV2, .rawJSON, .array, .uuid, .relation,
    ]

    func addRoutes(to console: RouterGroup<AppRequestContext>) {
        console.get("settings") { _, _ in ConsoleResponses.redirect("/console/settings/data-model") }
        console.get("settings/data-model") { request, context in try await objects(request, context) }
        console.post("settings/data-model") { request, context in try await createObject(request, context) }
        console.get("settings/data-model/:plural") { request, context in try await object(request, context) }
        console.post("settings/data-model/:plural") { request, context in try await changeObject(request, context) }
        console.post("settings/data-model/:plural/fields") { request, context in try await createField(request, context) }
        console.post("settings/data-model/:plural/fields/:field") { request, context in try await changeField(request, context) }
    }

    /// The signed-in page of a member allowed to change the data model.
    private func administrator(_ request: Request, _ context: AppRequestContext) async throws -> ConsolePage {
        let page = try await workspace.signedIn(request, context)
        try page.access.require(.dataModel)
        return page
    }

    private func objects(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try await administrator(request, context)
        var values = page.chrome(title: "Data model")
        values["settings"] = ConsoleSettingsNavigation.items(current: "data-model", page: page)
        values["objects"] = page.schema.objects.filter { !$0.isSystem }.sorted { $0.labelPlural < $1.labelPlural }.map { object in
            ["plural": object.namePlural, "label": object.labelPlural, "custom": object.isCustom, "active": object.isActive,
             "fields": object.fields.filter { !$0.isSystem }.count]
        }
        return templates.page("data-model", values)
    }

    private func createObject(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try await administrator(request, context)
        let form = try await ConsoleForm.read(request)
        try ConsoleWorkspace.requireCSRF(form["csrf"] ?? request.headers[.csrfToken], of: page.signedIn)
        guard let singular = form.trimmed("labelSingular"), let plural = form.trimmed("labelPlural") else {
            throw AtriumError(.badRequest, "Give the object a singular and a plural label")
        }
        let (record, _) = try await metadataAPI.createObject([
            "labelSingular": .string(singular), "labelPlural": .string(plural),
            "nameSingular": .string(form.trimmed("nameSingular") ?? Self.camelCase(singular)),
            "namePlural": .string(form.trimmed("namePlural") ?? Self.camelCase(plural)),
            "description": form.trimmed("description").map(JSONValue.string) ?? .null, "icon": .string("IconBox"),
        ], workspace: page.workspaceID, logger: page.logger)
        return ConsoleResponses.redirect("/console/settings/data-model/\(record.namePlural)")
    }

    private func object(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try await administrator(request, context)
        let object = try Self.object(named: context.parameters.get("plural"), in: page)
        var values = page.chrome(title: "Data model · \(object.labelPlural)")
        values["settings"] = ConsoleSettingsNavigation.items(current: "data-model", page: page)
        values["object"] = ["id": object.id.lowercased, "plural": object.namePlural, "singular": object.nameSingular,
                            "label": object.labelPlural, "labelSingular": object.labelSingular, "custom": object.isCustom,
                            "active": object.isActive, "description": object.description ?? ""]
        values["fields"] = object.fields.filter { !$0.isSystem && $0.type != .tsVector && $0.type != .position }.map { field -> [String: Any] in
            var item: [String: Any] = ["id": field.id.lowercased, "name": field.name, "label": field.label, "type": field.type.rawValue,
                                       "custom": field.isCustom, "active": field.isActive, "options": false, "relation": false]
            if let options = field.options, !options.isEmpty {
                item["options"] = options.map { ["label": $0.label, "value": $0.value, "color": $0.color ?? "gray"] }
            }
            if let target = field.relationTargetObject {
                item["relation"] = ["kind": field.relationType == .manyToOne ? "many to one" : "one to many", "target": target.labelPlural,
                                    "inverse": field.relationTargetField?.label ?? ""]
            }
            return item
        }
        values["types"] = Self.creatableTypes.map { ["value": $0.rawValue, "label": $0.rawValue.replacingOccurrences(of: "_", with: " ").capitalized] }
        values["targets"] = page.schema.objects.filter { $0.isActive && !$0.isSystem }.sorted { $0.labelSingular < $1.labelSingular }
            .map { ["id": $0.id.lowercased, "label": $0.labelSingular] }
        return templates.page("data-model-object", values)
    }

    /// Deactivates, activates, renames or deletes a custom object (`action`).
    private func changeObject(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try await administrator(request, context)
        let form = try await ConsoleForm.read(request)
        try ConsoleWorkspace.requireCSRF(form["csrf"] ?? request.headers[.csrfToken], of: page.signedIn)
        let object = try Self.object(named: context.parameters.get("plural"), in: page)
        switch form["action"] {
        case "deactivate", "activate":
            _ = try await metadataAPI.updateObject(object.id, ["isActive": .bool(form["action"] == "activate")], workspace: page.workspaceID, logger: page.logger)
        case "rename":
            var input: [String: JSONValue] = [:]
            if let singular = form.trimmed("labelSingular") { input["labelSingular"] = .string(singular) }
            if let plural = form.trimmed("labelPlural") { input["labelPlural"] = .string(plural) }
            if let description = form["description"] { input["description"] = .string(description) }
            _ = try await metadataAPI.updateObject(object.id, input, workspace: page.workspaceID, logger: page.logger)
        case "delete":
            _ = try await metadataAPI.deleteObject(object.id, workspace: page.workspaceID, logger: page.logger)
            return ConsoleResponses.redirect("/console/settings/data-model")
        default:
            throw AtriumError(.badRequest, "Unknown action")
        }
        return ConsoleResponses.redirect("/console/settings/data-model/\(object.namePlural)")
    }

    private func createField(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try await administrator(request, context)
        let form = try await ConsoleForm.read(request)
        try ConsoleWorkspace.requireCSRF(form["csrf"] ?? request.headers[.csrfToken], of: page.signedIn)
        let object = try Self.object(named: context.parameters.get("plural"), in: page)
        guard let label = form.trimmed("label") else { throw AtriumError(.badRequest, "Give the field a label") }
        let type = form["type"] ?? "TEXT"
        var input: [String: JSONValue] = [
            "objectMetadataId": .string(object.id.lowercased), "type": .string(type), "label": .string(label),
            "name": .string(form.trimmed("name") ?? Self.camelCase(label)), "icon": .string("IconAbc"),
        ]
        if type == "SELECT" || type == "MULTI_SELECT" {
            let labels = (form["options"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !labels.isEmpty else { throw AtriumError(.badRequest, "A select field needs options: one per line") }
            input["options"] = .array(Self.options(labels))
        }
        if type == "RELATION" {
            guard let target = form["target"].flatMap(UUID.init(text:)) else { throw AtriumError(.badRequest, "Choose the related object") }
            input["relationCreationPayload"] = .object([
                "targetObjectMetadataId": .string(target.lowercased), "type": .string(form["relationType"] ?? "MANY_TO_ONE"),
                "targetFieldLabel": .string(form.trimmed("inverseLabel") ?? object.labelPlural), "targetFieldIcon": .string("IconLink"),
            ])
        }
        _ = try await metadataAPI.createField(input, workspace: page.workspaceID, logger: page.logger)
        return ConsoleResponses.redirect("/console/settings/data-model/\(object.namePlural)")
    }

    /// Deactivates, activates, relabels or deletes a field; replaces a SELECT field's options.
    private func changeField(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try await administrator(request, context)
        let form = try await ConsoleForm.read(request)
        try ConsoleWorkspace.requireCSRF(form["csrf"] ?? request.headers[.csrfToken], of: page.signedIn)
        let object = try Self.object(named: context.parameters.get("plural"), in: page)
        guard let fieldID = context.parameters.get("field").flatMap(UUID.init(text:)), let field = page.schema.field(id: fieldID),
              field.object.id == object.id
        else { throw AtriumError(.notFound, "There is no such field") }
        switch form["action"] {
        case "deactivate", "activate":
            _ = try await metadataAPI.updateField(field.id, ["isActive": .bool(form["action"] == "activate")], workspace: page.workspaceID, logger: page.logger)
        case "relabel":
            guard let label = form.trimmed("label") else { throw AtriumError(.badRequest, "Give the field a label") }
            _ = try await metadataAPI.updateField(field.id, ["label": .string(label)], workspace: page.workspaceID, logger: page.logger)
        case "options":
            let labels = (form["options"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !labels.isEmpty else { throw AtriumError(.badRequest, "A select field needs options: one per line") }
            // Existing options keep their value (and so the records holding them); new lines become new options.
            let existing = Dictionary((field.options ?? []).map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
            let options: [JSONValue] = labels.enumerated().map { index, label in
                if let kept = existing[label] {
                    return .object(["label": .string(kept.label), "value": .string(kept.value), "color": .string(kept.color ?? "gray"),
                                    "position": .number(Double(index))] .merging(kept.id.map { ["id": .string($0.lowercased)] } ?? [:]) { first, _ in first })
                }
                return Self.options([label], startingAt: index)[0]
            }
            _ = try await metadataAPI.updateField(field.id, ["options": .array(options)], workspace: page.workspaceID, logger: page.logger)
        case "delete":
            _ = try await metadataAPI.deleteField(field.id, workspace: page.workspaceID, logger: page.logger)
        default:
            throw AtriumError(.badRequest, "Unknown action")
        }
        return ConsoleResponses.redirect("/console/settings/data-model/\(object.namePlural)")
    }

    /// The object (active or not) of the workspace whose plural name is `plural`.
    static func object(named plural: String?, in page: ConsolePage) throws -> WorkspaceSchema.Object {
        guard let plural, let object = page.schema.object(namePlural: plural) else { throw AtriumError(.notFound, "There is no such object") }
        return object
    }

    /// Twenty's option shape for `labels`: value in SCREAMING_SNAKE_CASE, a color from its palette, a position.
    static func options(_ labels: [String], startingAt start: Int = 0) -> [JSONValue] {
        let colors = ["blue", "green", "orange", "purple", "red", "turquoise", "sky", "yellow", "pink", "gray"]
        return labels.enumerated().map { offset, label in
            let index = start + offset
            var value = label.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
            if value.first?.isNumber ?? true { value = "OPTION_" + value }
            return .object(["label": .string(label), "value": .string(value), "color": .string(colors[index % colors.count]),
                            "position": .number(Double(index))])
        }
    }

    /// `Sales Deal` → `salesDeal`: an API name from a label (letters and digits only).
    static func camelCase(_ label: String) -> String {
        let words = label.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        guard let first = words.first else { return "" }
        return first.lowercased() + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined()
    }
}

/// The settings pages' tabs, those the member may open.
enum ConsoleSettingsNavigation {
    static func items(current: String, page: ConsolePage) -> [[String: Any]] {
        var items: [(String, String, PermissionFlag)] = [("data-model", "Data model", .dataModel)]
        items = items.filter { (try? page.access.require($0.2)) != nil }
        return items.map { ["key": $0.0, "label": $0.1, "href": "/console/settings/\($0.0)", "current": $0.0 == current] }
    }
}
