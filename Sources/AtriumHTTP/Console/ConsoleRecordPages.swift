import AtriumCore
import Foundation
import Hummingbird
import NIOCore

/// The records pages: an object's table (a saved view with the page's filters, sorts, search and keyset paging), its
/// kanban, a record's page, and the forms that create, delete, restore and destroy records and save views.
///
/// Every read and write goes through ``RecordService`` with the member's ``RecordScope``: the same statements,
/// permission checks and events as the APIs.
struct ConsoleRecordPages: Sendable {
    let templates: ConsoleTemplates
    let workspace: ConsoleWorkspace

    /// Records per table page.
    static let pageSize = 60

    func addRoutes(to console: RouterGroup<AppRequestContext>) {
        console.get("objects/:plural") { request, context in try await table(request, context) }
        console.get("objects/:plural/kanban") { request, context in try await kanban(request, context) }
        console.post("objects/:plural/new") { request, context in try await create(request, context) }
        console.post("objects/:plural/views") { request, context in try await saveView(request, context) }
        console.get("objects/:plural/import") { request, context in try await importPage(request, context) }
        console.get("objects/:plural/:id") { request, context in try await record(request, context) }
        console.post("objects/:plural/:id/delete") { request, context in try await change(request, context, .delete) }
        console.post("objects/:plural/:id/restore") { request, context in try await change(request, context, .restore) }
        console.post("objects/:plural/:id/destroy") { request, context in try await change(request, context, .destroy) }
    }

    /// The signed-in page, the object the path names and the member's policy for it, which must allow reading.
    private func readable(_ request: Request, _ context: AppRequestContext) async throws -> (ConsolePage, WorkspaceSchema.Object, ObjectPolicy) {
        let page = try await workspace.signedIn(request, context)
        let object = try page.object(context.parameters.get("plural"))
        let policy = try page.policy(object)
        try policy.require(.read)
        return (page, object, policy)
    }

    // MARK: - Views

    /// The view tabs of a records page: each view links to its table or kanban page.
    static func viewTabs(_ views: [JSONValue], of object: WorkspaceSchema.Object, current: String?) -> [[String: Any]] {
        let base = "/console/objects/\(object.namePlural)"
        return views.map { item in
            let id = item["id"]?.string ?? ""
            let kind = item["type"]?.string ?? "TABLE"
            return ["id": id, "name": item["name"]?.string ?? "", "kanban": kind == "KANBAN", "current": id == current,
                    "href": kind == "KANBAN" ? base + "/kanban?viewId=" + id : base + "?viewId=" + id]
        }
    }

    /// The object's views visible to the member, as Twenty renders them (with their fields, filters, sorts, groups).
    func views(of object: WorkspaceSchema.Object, _ page: ConsolePage) async throws -> [JSONValue] {
        let caller = ViewStore.Caller(userID: page.signedIn.session.userID, canManageViews: (try? page.access.require(.views)) != nil)
        let store = ViewStore(database: page.records.database, cache: page.records.views)
        let list = try await store.list(.view, parent: object.id, workspace: page.workspaceID, caller: caller, logger: page.logger)
        return try Self.decode(list)["data"]?.array ?? []
    }

    /// The saved view `id` asks for, else the object's first view of `type`.
    func chosenView(_ views: [JSONValue], id: String?, type: String) -> JSONValue? {
        if let id, let view = views.first(where: { $0["id"]?.string == id }) { return view }
        return views.first { $0["type"]?.string == type } ?? (type == "TABLE" ? views.first : nil)
    }

    /// The query of `view` with the page's additions, compiled for the member.
    func compiled(_ view: JSONValue?, _ query: ConsoleViewQuery, scope: RecordScope) async throws -> ViewFilterCompiler.Query {
        let definition: ViewDefinition
        let compiler: ViewFilterCompiler
        if let id = view?["id"]?.string.flatMap(UUID.init(text:)) {
            (definition, compiler) = try await ViewStore(database: workspace.records.database, cache: workspace.records.views)
                .compiler(for: id, in: scope)
        } else {
            definition = ViewDefinition(id: UUID(), objectMetadataId: scope.object.id)
            compiler = ViewFilterCompiler(object: scope.object, context: .init(workspaceMemberID: scope.actor.workspaceMemberID))
        }
        return try compiler.compile(query.applied(to: definition))
    }

    // MARK: - Table

    private func table(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (page, object, policy) = try await readable(request, context)
        let scope = page.scope(object)
        let url = QueryString(request.uri.query)
        let query = try ConsoleViewQuery(url, object: object)
        let views = try await self.views(of: object, page)
        let view = chosenView(views, id: url["viewId"], type: "TABLE")
        let showable = ConsoleCells.showable(object, policy: policy)
        let columns = Self.columns(view, showable: showable, object: object)
        let compiled = try await self.compiled(view, query, scope: scope)

        var filter = compiled.filter
        if query.deleted {
            let deleted = RecordFilter.condition(FieldPath("deletedAt"), .is, .notNull)
            filter = filter.map { .and([$0, deleted]) } ?? deleted
        }
        var order = compiled.order
        if order.isEmpty { order = object.field(named: "position") != nil ? [OrderTerm(FieldPath("position"))] : [OrderTerm(FieldPath("createdAt"), .descNullsLast)] }
        let request = query.before == nil
            ? PageRequest(filter: filter, order: order, first: Self.pageSize, after: query.after)
            : PageRequest(filter: filter, order: order, last: Self.pageSize, before: query.before)
        var entries: [(key: String, value: ConnectionTree.Value)] = [
            ("records", .nodes(ConsoleCells.tree(columns.map(\.field)))),
            ("totalCount", .aggregate(.totalCount)),
            ("pageInfo", .pageInfo([("hasNextPage", .hasNextPage), ("hasPreviousPage", .hasPreviousPage),
                                    ("startCursor", .startCursor), ("endCursor", .endCursor)])),
        ]
        for column in columns {
            if let aggregate = column.aggregate { entries.append(("aggregate_" + column.field.name, .aggregate(aggregate))) }
        }
        let result = try Self.decode(try await page.records.findMany(ConnectionTree(page: request, entries: entries), in: scope))

        let cells = ConsoleCells(schema: page.schema)
        let canUpdate = policy.permissions.canUpdateObjectRecords && !query.deleted
        let rows: [[String: Any]] = (result["records"]?.array ?? []).map { record in
            let id = record["id"]?.string ?? ""
            return [
                "id": id, "href": "/console/objects/\(object.namePlural)/\(id)",
                "cells": columns.map { column in
                    var cell = cells.cell(column.field, of: record, editable: canUpdate && !policy.unwritableFields.contains(column.field.name))
                    if column.field.name == object.labelIdentifierField?.name {
                        cell["open"] = "/console/objects/\(object.namePlural)/\(id)"
                        if (cell["text"] as? String ?? "").isEmpty { cell["text"] = "Untitled" }
                    }
                    return cell
                },
            ]
        }
        let base = "/console/objects/\(object.namePlural)"
        let viewID = view?["id"]?.string
        let pageInfo = result["pageInfo"]
        var values = page.chrome(title: view?["name"]?.string.map { "\(object.labelPlural) · \($0)" } ?? object.labelPlural, current: object)
        values["object"] = Self.objectValues(object, policy: policy)
        values["views"] = Self.viewTabs(views, of: object, current: viewID)
        values["view"] = view.map { ["id": $0["id"]?.string ?? "", "name": $0["name"]?.string ?? ""] } ?? false
        values["columns"] = columns.map { column -> [String: Any] in
            let sorted = query.sort?.field.name == column.field.name ? query.sort?.direction : nil
            let nextDirection = sorted == "ASC" ? "DESC" : "ASC"
            var sortQuery = query
            sortQuery.sortParameter = column.field.name + "~" + nextDirection
            return ["field": column.field.name, "label": column.field.label, "width": column.width,
                    "sortHref": sortQuery.link(base: base, viewID: viewID), "sorted": sorted ?? false]
        }
        values["rows"] = rows
        values["empty"] = rows.isEmpty
        values["totalCount"] = result["totalCount"]?.number.map { Int($0) } ?? 0
        values["footer"] = columns.map { column -> [String: Any] in
            guard let aggregate = column.aggregate, let value = result["aggregate_" + column.field.name] else { return ["text": ""] }
            return ["text": Self.aggregateText(value, aggregate: aggregate, field: column.field)]
        }
        values["hasFooter"] = columns.contains { $0.aggregate != nil }
        if pageInfo?["hasNextPage"]?.bool == true, let cursor = pageInfo?["endCursor"]?.string {
            values["nextHref"] = query.link(base: base, viewID: viewID, after: cursor)
        }
        if query.after != nil || (query.before != nil && pageInfo?["hasPreviousPage"]?.bool == true), let cursor = pageInfo?["startCursor"]?.string {
            values["previousHref"] = query.link(base: base, viewID: viewID, before: cursor)
        }
        values["filters"] = query.filters.map { filter in
            ["label": filter.field.label, "operand": filter.operand.replacingOccurrences(of: "_", with: " ").lowercased(), "value": filter.value,
             "removeHref": query.link(base: base, viewID: viewID, dropping: filter.parameter)]
        }
        values["hasFilters"] = !query.filters.isEmpty || query.sort != nil
        values["filterFields"] = showable.filter { !$0.type.isRelation }.map { ["name": $0.name, "label": $0.label] }
        values["sortFields"] = showable.filter { !$0.type.isRelation && !$0.type.isComposite || $0.type == .currency || $0.type == .fullName }
            .map { ["name": $0.name, "label": $0.label, "chosen": query.sort?.field.name == $0.name] }
        values["operands"] = ConsoleViewQuery.operands.map { ["value": $0, "label": $0.replacingOccurrences(of: "_", with: " ").lowercased()] }
        // Absent values are `false`, not "": Mustache treats an empty string as present.
        values["search"] = query.search ?? false
        values["viewId"] = viewID ?? false
        values["keptFilters"] = query.filterParameters
        values["sortParameter"] = query.sortParameter ?? false
        values["deleted"] = query.deleted
        values["deletedHref"] = query.link(base: base, viewID: viewID, deleted: !query.deleted)
        values["exportHref"] = "/rest/\(object.namePlural)/export" + (viewID.map { "?viewId=" + $0 } ?? "")
        values["canExport"] = (try? page.access.require(.exportCSV)) != nil
        values["canManageViews"] = (try? page.access.require(.views)) != nil
        values["newFields"] = Self.newRecordFields(object, policy: policy)
        return templates.page("records", values)
    }

    /// A table column: the field, its width, and the footer aggregate.
    struct Column {
        let field: WorkspaceSchema.Field
        let width: Int
        let aggregate: AggregateField?
    }

    /// The columns of `view` (its visible fields by position, with their sizes and aggregates), or the object's first
    /// showable fields without a view.
    static func columns(_ view: JSONValue?, showable: [WorkspaceSchema.Field], object: WorkspaceSchema.Object) -> [Column] {
        let byID = Dictionary(showable.map { ($0.id.lowercased, $0) }, uniquingKeysWith: { first, _ in first })
        if let fields = view?["viewFields"]?.array, !fields.isEmpty {
            let columns = fields.filter { $0["isVisible"]?.bool == true }
                .sorted { ($0["position"]?.number ?? 0) < ($1["position"]?.number ?? 0) }
                .compactMap { item -> Column? in
                    guard let id = item["fieldMetadataId"]?.string?.lowercased(), let field = byID[id] else { return nil }
                    let aggregate = item["aggregateOperation"]?.string.flatMap { aggregateField(operation: $0, field: field, object: object) }
                    return Column(field: field, width: Int(item["size"]?.number ?? 180), aggregate: aggregate)
                }
            if !columns.isEmpty { return columns }
        }
        let label = object.labelIdentifierField?.name
        let ordered = showable.filter { $0.name == label } + showable.filter { $0.name != label && !$0.isSystem }
        return ordered.prefix(8).map { Column(field: $0, width: 180, aggregate: nil) }
    }

    /// The aggregate of `field` Twenty's view operation `operation` (`SUM`, `COUNT_EMPTY`, …) names.
    static func aggregateField(operation: String, field: WorkspaceSchema.Field, object: WorkspaceSchema.Object) -> AggregateField? {
        let parts = operation.lowercased().split(separator: "_")
        let name = parts.first.map(String.init).map { first in first + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() } ?? ""
        let wanted: AggregateField.Operation? = name == "count" ? .count : AggregateField.Operation(rawValue: name)
        guard let wanted else { return nil }
        if wanted == .count { return .totalCount }
        return object.aggregateFields.first { $0.field == field.name && $0.operation == wanted }
    }

    static func aggregateText(_ value: JSONValue, aggregate: AggregateField, field: WorkspaceSchema.Field) -> String {
        guard let number = value.number else { return value.string ?? "" }
        let label: String = switch aggregate.operation {
        case .count: "Count"
        case .sum: "Sum"
        case .avg: "Average"
        case .min: "Min"
        case .max: "Max"
        case .countEmpty: "Empty"
        case .countNotEmpty: "Not empty"
        case .countUniqueValues: "Unique"
        case .percentageEmpty: "Empty %"
        case .percentageNotEmpty: "Not empty %"
        case .countTrue: "True"
        case .countFalse: "False"
        }
        let amount = aggregate.property == "amountMicros" ? number / 1_000_000 : number
        let shown = aggregate.operation == .percentageEmpty || aggregate.operation == .percentageNotEmpty ? amount * 100 : amount
        return "\(label) \(ConsoleCells.decimal(shown))"
    }

    /// What a page says of an object and what the member may do with its records.
    static func objectValues(_ object: WorkspaceSchema.Object, policy: ObjectPolicy) -> [String: Any] {
        ["plural": object.namePlural, "singular": object.nameSingular, "label": object.labelPlural, "labelSingular": object.labelSingular,
         "canCreate": policy.permissions.canUpdateObjectRecords, "canUpdate": policy.permissions.canUpdateObjectRecords,
         "canDelete": policy.permissions.canSoftDeleteObjectRecords, "canDestroy": policy.permissions.canDestroyObjectRecords]
    }

    /// The inputs of the "new record" form: the label identifier field (first and last name for a FULL_NAME).
    static func newRecordFields(_ object: WorkspaceSchema.Object, policy: ObjectPolicy) -> [[String: Any]] {
        guard let label = object.labelIdentifierField, !policy.unwritableFields.contains(label.name) else { return [] }
        if label.type == .fullName {
            return [["name": "name.firstName", "label": "First name"], ["name": "name.lastName", "label": "Last name"]]
        }
        return [["name": label.name, "label": label.label]]
    }

    // MARK: - Kanban

    private func kanban(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (page, object, policy) = try await readable(request, context)
        let scope = page.scope(object)
        let url = QueryString(request.uri.query)
        let query = try ConsoleViewQuery(url, object: object)
        let views = try await self.views(of: object, page)
        guard let view = chosenView(views, id: url["viewId"], type: "KANBAN"), view["type"]?.string == "KANBAN",
              let id = view["id"]?.string.flatMap(UUID.init(text:))
        else { throw AtriumError(.notFound, "\(object.labelPlural) have no kanban view") }
        let (definition, compiler) = try await ViewStore(database: page.records.database, cache: page.records.views).compiler(for: id, in: scope)
        let applied = query.applied(to: definition)
        let groupQuery = try compiler.groupBy(applied, request: nil)
        let result = try Self.decode(try await page.records.groupBy(groupQuery, envelope: .data("groups"), in: scope))
        guard let groupField = definition.mainGroupByFieldMetadataId.flatMap({ page.schema.field(id: $0) }) else {
            throw AtriumError(.badRequest, "This kanban view groups by no field")
        }
        let aggregateName = groupQuery.aggregates.first
        let cardField = object.labelIdentifierField
        let showable = ConsoleCells.showable(object, policy: policy)
        let cardFields = Self.columns(view, showable: showable, object: object).map(\.field)
            .filter { $0.name != cardField?.name && $0.id != groupField.id }.prefix(3)
        let cells = ConsoleCells(schema: page.schema)
        let columns: [[String: Any]] = (result["data"]?["groups"]?.array ?? []).map { group in
            let value = group["groupByDimensionValues"]?[0]?.string ?? ""
            let option = groupField.options?.first { $0.value == value }
            let records = group["records"]?.array ?? []
            var column: [String: Any] = [
                "value": value, "label": option?.label ?? (value.isEmpty ? "No value" : value), "color": option?.color ?? "gray",
                "count": Int(group["totalCount"]?.number ?? 0),
                "cards": records.map { record -> [String: Any] in
                    let id = record["id"]?.string ?? ""
                    return ["id": id, "href": "/console/objects/\(object.namePlural)/\(id)", "title": ConsoleCells.label(record, of: object),
                            "cells": cardFields.map { cells.cell($0, of: record, editable: false) }.filter { !($0["text"] as? String ?? "").isEmpty }]
                },
            ]
            if let aggregateName, let value = group[aggregateName]?.number {
                column["aggregate"] = aggregateName.hasSuffix("AmountMicros") ? ConsoleCells.decimal(value / 1_000_000) : ConsoleCells.decimal(value)
            }
            return column
        }
        var values = page.chrome(title: "\(object.labelPlural) · \(view["name"]?.string ?? "Kanban")", current: object)
        values["object"] = Self.objectValues(object, policy: policy)
        values["view"] = ["id": id.lowercased, "name": view["name"]?.string ?? ""]
        values["views"] = Self.viewTabs(views, of: object, current: id.lowercased)
        values["groupField"] = groupField.name
        values["columns"] = columns
        values["canMove"] = policy.permissions.canUpdateObjectRecords && !policy.unwritableFields.contains(groupField.name)
        return templates.page("kanban", values)
    }

    // MARK: - CSV import

    /// The import page: the file's columns mapped to fields (a preview the member can change), a dry run listing the
    /// rows that would be refused, then the import with its progress. The page's script sends the file to the records
    /// API (`POST /rest/<plural>/import`), which does the work.
    private func importPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (page, object, policy) = try await readable(request, context)
        try policy.require(.update)
        try page.access.require(.importCSV)
        var values = page.chrome(title: "Import \(object.labelPlural)", current: object)
        values["object"] = Self.objectValues(object, policy: policy)
        values["targets"] = ConsoleCells.showable(object, policy: policy)
            .filter { !$0.isSystem && !policy.unwritableFields.contains($0.name) && $0.relationType != .oneToMany }
            .map { ["name": $0.name, "label": $0.label] }
        return templates.page("import", values)
    }

    // MARK: - Record page

    private func record(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (page, object, policy) = try await readable(request, context)
        guard let id = context.parameters.get("id").flatMap(UUID.init(text:)) else { throw AtriumError(.notFound, "Record not found") }
        let scope = page.scope(object)
        let fields = ConsoleCells.showable(object, policy: policy)
        var entries = ConsoleCells.tree(fields, relationsToMany: true).entries
        let timeline = object.field(named: "timelineActivities").flatMap { field -> WorkspaceSchema.Object? in
            if case .oneToMany(let target, _) = field.storage, !policy.unreadableFields.contains(field.name) { return target }
            return nil
        }
        if let timeline, let member = timeline.field(named: "workspaceMember"), case .foreignKey(_, let memberObject) = member.storage {
            entries.append(("timeline", .toMany(field: "timelineActivities", ConnectionTree(
                page: PageRequest(order: [OrderTerm(FieldPath("happensAt"), .descNullsLast)], first: 50),
                entries: [("items", .nodes(RecordTree([
                    ("id", .field("id")), ("name", .field("name")), ("happensAt", .field("happensAt")), ("properties", .field("properties")),
                    ("workspaceMember", .toOne(field: "workspaceMember", ConsoleCells.labelTree(memberObject))),
                ])))]))))
        }
        // A soft-deleted record is shown too (to restore or destroy it).
        let filter: RecordFilter = .and([.condition(FieldPath("id"), .eq, .value(id.lowercased)),
                                         .or([.condition(FieldPath("deletedAt"), .is, .null), .condition(FieldPath("deletedAt"), .is, .notNull)])])
        let tree = ConnectionTree(page: PageRequest(filter: filter, first: 1), entries: [("records", .nodes(RecordTree(entries)))])
        guard let record = try Self.decode(try await page.records.findMany(tree, in: scope))["records"]?[0] else {
            throw AtriumError(.notFound, "Record not found")
        }
        let deleted = record["deletedAt"].map { $0 != .null } ?? false
        let cells = ConsoleCells(schema: page.schema)
        let canUpdate = policy.permissions.canUpdateObjectRecords && !deleted
        let shown = fields.filter { !$0.type.isRelation || $0.relationType == .manyToOne }
        let related = fields.filter { $0.relationType == .oneToMany && $0.name != "timelineActivities" }
        var values = page.chrome(title: ConsoleCells.label(record, of: object), current: object)
        values["object"] = Self.objectValues(object, policy: policy)
        values["record"] = ["id": id.lowercased, "title": ConsoleCells.label(record, of: object), "deleted": deleted]
        values["fields"] = shown.map { cells.cell($0, of: record, editable: canUpdate && !policy.unwritableFields.contains($0.name)) }
        values["relations"] = related.map { cells.cell($0, of: record, editable: false) }
        values["timeline"] = (record["timeline"]?["items"]?.array ?? []).map { event -> [String: Any] in
            let name = event["name"]?.string ?? ""
            let changed = event["properties"]?["diff"]?.keys.sorted() ?? []
            return ["what": Self.eventText(name), "when": ConsoleCells.display(event["happensAt"] ?? .null, field: timeline!.field(named: "happensAt")!),
                    "who": event["workspaceMember"]?["label"].map { ConsoleCells.display($0, field: page.schema.object(nameSingular: "workspaceMember")!.labelIdentifierField!) } ?? "",
                    "changed": changed.joined(separator: ", ")]
        }
        values["hasTimeline"] = timeline != nil
        return templates.page("record", values)
    }

    /// `company.updated` → "updated".
    static func eventText(_ name: String) -> String {
        let action = name.split(separator: ".").last.map(String.init) ?? name
        return action.replacingOccurrences(of: "_", with: " ")
    }

    // MARK: - Writes

    private func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try await workspace.signedIn(request, context)
        let form = try await ConsoleForm.read(request)
        try ConsoleWorkspace.requireCSRF(form["csrf"] ?? request.headers[.csrfToken], of: page.signedIn)
        let object = try page.object(context.parameters.get("plural"))
        var input: [String: JSONValue] = [:]
        for field in Self.newRecordFields(object, policy: try page.policy(object)) {
            guard let name = field["name"] as? String, let value = form.trimmed(name) else { continue }
            let path = name.split(separator: ".").map(String.init)
            if path.count == 2 {
                var composite: [String: JSONValue] = [:]
                if case .object(let values)? = input[path[0]] { composite = values }
                composite[path[1]] = .string(value)
                input[path[0]] = .object(composite)
            } else {
                input[name] = .string(value)
            }
        }
        let scope = page.scope(object)
        let created = try await page.records.create([.object(input)], upsert: false, many: false, RecordTree([("id", .field("id"))]),
                                                    envelope: .data("record"), in: scope)
        guard let id = try Self.decode(created)["data"]?["record"]?["id"]?.string else { throw AtriumError(.internalError, "The new record has no id") }
        return ConsoleResponses.redirect("/console/objects/\(object.namePlural)/\(id)")
    }

    enum Change { case delete, restore, destroy }

    private func change(_ request: Request, _ context: AppRequestContext, _ change: Change) async throws -> Response {
        let page = try await workspace.signedIn(request, context)
        let form = try await ConsoleForm.read(request)
        try ConsoleWorkspace.requireCSRF(form["csrf"] ?? request.headers[.csrfToken], of: page.signedIn)
        let object = try page.object(context.parameters.get("plural"))
        guard let id = context.parameters.get("id").flatMap(UUID.init(text:)) else { throw AtriumError(.notFound, "Record not found") }
        let scope = page.scope(object)
        let selection = RecordTree([("id", .field("id"))])
        let base = "/console/objects/\(object.namePlural)"
        switch change {
        case .delete:
            _ = try await page.records.delete(.one(id), soft: true, selection, envelope: .data("record"), in: scope)
            return ConsoleResponses.redirect(base)
        case .restore:
            _ = try await page.records.restore(.one(id), selection, envelope: .data("record"), in: scope)
            return ConsoleResponses.redirect(base + "/" + id.lowercased)
        case .destroy:
            _ = try await page.records.delete(.one(id), soft: false, selection, envelope: .data("record"), in: scope)
            return ConsoleResponses.redirect(base + "?deleted=true")
        }
    }

    /// Saves the page's filters and sort as a new view (`name`), or into the current view (`viewId` with `update`).
    private func saveView(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try await workspace.signedIn(request, context)
        let form = try await ConsoleForm.read(request)
        try ConsoleWorkspace.requireCSRF(form["csrf"] ?? request.headers[.csrfToken], of: page.signedIn)
        let object = try page.object(context.parameters.get("plural"))
        try page.access.require(.views)
        let query = try ConsoleViewQuery(QueryString(form.all("f").map { "f=" + ConsoleResponses.percentEncoded($0) }.joined(separator: "&")
                                                     + (form["sort"].map { "&sort=" + ConsoleResponses.percentEncoded($0) } ?? "")), object: object)
        let caller = ViewStore.Caller(userID: page.signedIn.session.userID, canManageViews: true)
        let store = ViewStore(database: page.records.database, cache: page.records.views)
        let views = try await self.views(of: object, page)
        let current = form["viewId"].flatMap { id in views.first { $0["id"]?.string == id } }
        let viewID: String
        if form["update"] == "true", let current, let id = current["id"]?.string {
            viewID = id
        } else {
            guard let name = form.trimmed("name") else { throw AtriumError(.badRequest, "Give the view a name") }
            let created = try Self.decode(try await store.create(.view, input: [
                "objectMetadataId": .string(object.id.lowercased), "name": .string(name), "type": .string("TABLE"),
                "icon": .string("IconList"), "position": .number(Double(views.count)),
            ], workspace: page.workspaceID, caller: caller, logger: page.logger))
            viewID = created["id"]?.string ?? ""
            // The new view shows the same columns as the one it was made from.
            for (position, field) in (current?["viewFields"]?.array ?? []).enumerated() {
                guard let fieldID = field["fieldMetadataId"] else { continue }
                var input: [String: JSONValue] = ["viewId": .string(viewID), "fieldMetadataId": fieldID,
                                                  "isVisible": field["isVisible"] ?? .bool(true), "position": .number(Double(position)),
                                                  "size": field["size"] ?? .number(180)]
                if let aggregate = field["aggregateOperation"], aggregate != .null { input["aggregateOperation"] = aggregate }
                _ = try await store.create(.field, input: input, workspace: page.workspaceID, caller: caller, logger: page.logger)
            }
        }
        for filter in query.filters {
            var input: [String: JSONValue] = ["viewId": .string(viewID), "fieldMetadataId": .string(filter.field.id.lowercased),
                                              "operand": .string(filter.operand), "value": ConsoleViewQuery.viewValue(filter)]
            if let sub = filter.subField { input["subFieldName"] = .string(sub) }
            _ = try await store.create(.filter, input: input, workspace: page.workspaceID, caller: caller, logger: page.logger)
        }
        if let sort = query.sort {
            for existing in views.first(where: { $0["id"]?.string == viewID })?["viewSorts"]?.array ?? [] {
                if let id = existing["id"]?.string.flatMap(UUID.init(text:)) {
                    _ = try await store.delete(.sort, id: id, destroy: true, workspace: page.workspaceID, caller: caller, logger: page.logger)
                }
            }
            _ = try await store.create(.sort, input: ["viewId": .string(viewID), "fieldMetadataId": .string(sort.field.id.lowercased),
                                                      "direction": .string(sort.direction)],
                                       workspace: page.workspaceID, caller: caller, logger: page.logger)
        }
        return ConsoleResponses.redirect("/console/objects/\(object.namePlural)?viewId=\(viewID)")
    }

    static func decode(_ buffer: ByteBuffer) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
    }
}
