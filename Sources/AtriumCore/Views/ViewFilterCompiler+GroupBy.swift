extension ViewFilterCompiler {
    /// A group-by through a view (Twenty's `viewId` on group-by), and for a KANBAN view its columns in one statement:
    /// - the view's filters AND the request's;
    /// - grouped by the request's dimensions, else by the view's grouping field;
    /// - only the view's visible groups, when it has groups (`""` standing for no value);
    /// - the kanban aggregate (`SUM` of `amount` → `sumAmountAmountMicros`) beside the request's aggregates;
    /// - for a KANBAN view, each group's first `groupLoadLimit` records, in the view's order unless the request orders;
    ///   and every visible group, in the view's group order, empty ones too (unless the request orders the groups).
    /// - Throws: ``AtriumError`` `.badRequest` when neither the request nor the view names what to group by.
    public func groupBy(_ view: ViewDefinition, request: GroupByQuery?) throws -> GroupByQuery {
        let compiled = try compile(view)
        var query = request ?? GroupByQuery(dimensions: [])
        let groupField = view.mainGroupByFieldMetadataId.flatMap { id in object.fields.first { $0.id == id && $0.isActive } }
        if query.dimensions.isEmpty {
            guard let groupField else { throw AtriumError(.badRequest, "group_by is required: the view groups by no field") }
            query.dimensions = [GroupByQuery.Dimension(FieldPath(groupField.type == .relation ? groupField.name + "Id" : groupField.name))]
        }
        var parts = [compiled.filter, request?.filter].compactMap { $0 }
        if let groupField, query.dimensions.count == 1, query.dimensions[0].path.field == groupField.name, !view.groups.isEmpty {
            let visible = view.groups.filter(\.isVisible).map(\.fieldValue)
            var shown: [RecordFilter] = []
            if visible.contains(where: { !$0.isEmpty }) {
                shown.append(.condition(FieldPath(groupField.name), .in, .values(visible.filter { !$0.isEmpty })))
            }
            if visible.contains("") { shown.append(.condition(FieldPath(groupField.name), .is, .null)) }
            parts.append(shown.isEmpty ? .condition(FieldPath("id"), .is, .null) : shown.count == 1 ? shown[0] : .or(shown))
            // A kanban shows each visible column, empty or not, in the view's order (unless the request orders groups).
            if view.type == "KANBAN", query.order.isEmpty {
                query.fixedGroups = view.groups.filter(\.isVisible).sorted { $0.position < $1.position }.map(\.fieldValue)
            }
        }
        query.filter = parts.isEmpty ? nil : parts.count == 1 ? parts[0] : .and(parts)
        if let aggregate = kanbanAggregate(view), !query.aggregates.contains(aggregate) { query.aggregates.append(aggregate) }
        if view.type == "KANBAN" {
            query.recordsSample = true
            query.sampleSize = max(1, view.groupLoadLimit)
            if query.recordsOrder.isEmpty { query.recordsOrder = compiled.order.isEmpty ? [OrderTerm(FieldPath("position"))] : compiled.order }
        }
        return query
    }

    /// The aggregate a kanban's columns show, by its name on the connection; nil for none or a plain count (every
    /// group has its `totalCount`).
    func kanbanAggregate(_ view: ViewDefinition) -> String? {
        guard let operation = view.kanbanAggregateOperation, operation != "COUNT",
              let fieldID = view.kanbanAggregateOperationFieldMetadataId,
              let field = object.fields.first(where: { $0.id == fieldID }) else { return nil }
        // COUNT_UNIQUE_VALUES → countUniqueValues
        let words = operation.lowercased().split(separator: "_")
        let camel = words.first.map(String.init)! + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return object.aggregateFields.first { $0.operation.rawValue == camel && $0.field == field.name }?.name
    }
}
