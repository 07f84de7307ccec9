import AtriumCore
import GraphQL
import OrderedCollections

/// Reads a validated selection set into the record engine's selection model (``RecordTree``, ``ConnectionTree``):
/// fragments expanded, `@skip`/`@include` applied, fields merged by response key, nested arguments evaluated.
struct GraphQLSelectionReader {
    let workspace: WorkspaceSchema
    let fragments: [String: FragmentDefinition]
    let variables: [String: Map]

    init(info: GraphQLResolveInfo, workspace: WorkspaceSchema) {
        self.workspace = workspace
        self.fragments = info.fragments
        var variables: [String: Map] = [:]
        for (name, value) in info.variableValues {
            if let map = value as? Map { variables[name] = map }
        }
        self.variables = variables
    }

    init(workspace: WorkspaceSchema, fragments: [String: FragmentDefinition], variables: [String: Map]) {
        self.workspace = workspace
        self.fragments = fragments
        self.variables = variables
    }

    // MARK: - Field collection

    /// The fields selected by `nodes`' selection sets, by response key in order of first appearance.
    func collect(_ nodes: [Field]) throws -> [(key: String, nodes: [Field])] {
        var result: OrderedDictionary<String, [Field]> = [:]
        for node in nodes {
            if let set = node.selectionSet { try collect(set, into: &result) }
        }
        return result.map { ($0.key, $0.value) }
    }

    func collect(_ set: SelectionSet, into result: inout OrderedDictionary<String, [Field]>) throws {
        for selection in set.selections {
            switch selection {
            case let field as Field:
                guard try included(field.directives) else { continue }
                result[field.alias?.value ?? field.name.value, default: []].append(field)
            case let fragment as InlineFragment:
                guard try included(fragment.directives) else { continue }
                try collect(fragment.selectionSet, into: &result)
            case let spread as FragmentSpread:
                guard try included(spread.directives), let definition = fragments[spread.name.value] else { continue }
                try collect(definition.selectionSet, into: &result)
            default:
                continue
            }
        }
    }

    /// `@skip(if:)` and `@include(if:)`.
    private func included(_ directives: [Directive]) throws -> Bool {
        for directive in directives where directive.name.value == "skip" || directive.name.value == "include" {
            guard let argument = directive.arguments.first(where: { $0.name.value == "if" }) else { continue }
            let condition = try valueFromASTUntyped(valueAST: argument.value, variables: variables)
            let flag = if case .bool(let value) = condition { value } else { false }
            if directive.name.value == "skip" ? flag : !flag { return false }
        }
        return true
    }

    // MARK: - Records

    /// The record selection of `nodes` on `object`.
    func record(_ nodes: [Field], of object: WorkspaceSchema.Object) throws -> RecordTree {
        var entries: [(key: String, value: RecordTree.Value)] = []
        for (key, fields) in try collect(nodes) {
            let name = fields[0].name.value
            if name == "__typename" {
                entries.append((key, .constant(GraphQLSchemaBuilder.typeName(object))))
                continue
            }
            guard let field = object.field(named: name), field.isActive else {
                entries.append((key, .field(name)))  // a relation's `<name>Id` column
                continue
            }
            switch field.storage {
            case .scalar:
                entries.append((key, .field(name)))
            case .composite:
                let typeName = GraphQLSchemaBuilder.compositeTypeName(field.type)
                let properties = try collect(fields).map { (key: $0.key, property: $0.nodes[0].name.value) }
                entries.append((key, .composite(field: name, properties: properties, typeName: typeName)))
            case .foreignKey(_, let target):
                entries.append((key, .toOne(field: name, try record(fields, of: target))))
            case .oneToMany(let target, _):
                let page = try self.page(arguments(fields[0]), of: target)
                entries.append((key, .toMany(field: name, try connection(fields, of: target, page: page))))
            case .morph, .hidden:
                throw AtriumError(.badRequest, "Field '\(name)' of '\(object.nameSingular)' cannot be selected")
            }
        }
        return RecordTree(entries)
    }

    // MARK: - Connections

    /// The connection selection of `nodes` on `object`, for `page`; a group-by group also offers `groupByDimensionValues`.
    func connection(_ nodes: [Field], of object: WorkspaceSchema.Object, page: PageRequest, isGroup: Bool = false) throws -> ConnectionTree {
        let typeName = GraphQLSchemaBuilder.typeName(object)
        let aggregates = Dictionary(object.aggregateFields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var entries: [(key: String, value: ConnectionTree.Value)] = []
        for (key, fields) in try collect(nodes) {
            switch fields[0].name.value {
            case "__typename":
                entries.append((key, .constant(typeName + "Connection")))
            case "edges":
                var edges: [(key: String, value: ConnectionTree.EdgeValue)] = []
                for (edgeKey, edgeFields) in try collect(fields) {
                    switch edgeFields[0].name.value {
                    case "__typename": edges.append((edgeKey, .constant(typeName + "Edge")))
                    case "cursor": edges.append((edgeKey, .cursor))
                    default: edges.append((edgeKey, .node(try record(edgeFields, of: object))))
                    }
                }
                entries.append((key, .edges(edges)))
            case "pageInfo":
                let info: [(key: String, value: ConnectionTree.PageInfoValue)] = try collect(fields).map { infoKey, infoFields in
                    switch infoFields[0].name.value {
                    case "hasNextPage": (infoKey, .hasNextPage)
                    case "hasPreviousPage": (infoKey, .hasPreviousPage)
                    case "startCursor": (infoKey, .startCursor)
                    case "endCursor": (infoKey, .endCursor)
                    default: (infoKey, .constant("PageInfo"))
                    }
                }
                entries.append((key, .pageInfo(info)))
            case "groupByDimensionValues" where isGroup:
                entries.append((key, .dimensionValues))
            case let name:
                guard let aggregate = aggregates[name] else {
                    throw AtriumError(.badRequest, "'\(name)' is not a field of \(typeName)Connection")
                }
                entries.append((key, .aggregate(aggregate)))
            }
        }
        return ConnectionTree(page: page, entries: entries)
    }

    /// A field's arguments as values (variables substituted).
    func arguments(_ field: Field) throws -> Map {
        var result: OrderedDictionary<String, Map> = [:]
        for argument in field.arguments {
            result[argument.name.value] = try valueFromASTUntyped(valueAST: argument.value, variables: variables)
        }
        return .dictionary(result)
    }

    /// `filter`, `orderBy`, `first`, `last`, `before`, `after`, `offset` as a page request.
    func page(_ arguments: Map, of object: WorkspaceSchema.Object) throws -> PageRequest {
        guard case .dictionary(let values) = arguments else { return PageRequest() }
        var page = PageRequest()
        if let filter = values["filter"], !filter.isNull, !filter.isUndefined { page.filter = try GraphQLInputs.filter(filter, object: object) }
        if let order = values["orderBy"] { page.order = try GraphQLInputs.order(order) }
        page.first = try GraphQLInputs.int(values["first"], "first")
        page.last = try GraphQLInputs.int(values["last"], "last")
        page.after = values["after"].flatMap(GraphQLInputs.string)
        page.before = values["before"].flatMap(GraphQLInputs.string)
        page.offset = try GraphQLInputs.int(values["offset"], "offset")
        return page
    }
}

extension GraphQLSchemaBuilder {
    /// `FULL_NAME` → `FullName`, `RICH_TEXT_V2` → `RichTextV2`.
    static func compositeTypeName(_ type: FieldType) -> String {
        type.rawValue.lowercased().split(separator: "_").map { pascalCase(String($0)) }.joined()
    }
}
