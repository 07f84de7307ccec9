import AtriumCore
import Foundation
import GraphQL
import Logging
import NIOCore
import OrderedCollections
import Synchronization

/// The context of one GraphQL request: who acts in which workspace, and the JSON each root field rendered.
///
/// Root resolvers return `nil` to the GraphQL executor and keep their field's JSON text (rendered by PostgreSQL) here,
/// under its response key; the response splices those bytes in, so no record is decoded or re-encoded in Swift.
final class GraphQLRequestState: Sendable {
    let workspace: WorkspaceSchema
    /// What the caller may do with records: every record operation of the request runs with it.
    let access: RecordAccess
    let records: RecordService
    let actor: RecordActor
    let logger: Logger
    private let rendered = Mutex<[String: ByteBuffer]>([:])
    /// Slots for the root fields running at once (``GraphQLLimits/maximumConcurrentRootFields``).
    private let rootFieldSlots: KeyedSemaphore<Int>

    init(
        workspace: WorkspaceSchema, access: RecordAccess, records: RecordService, actor: RecordActor, logger: Logger,
        maximumConcurrentRootFields: Int = 4
    ) {
        self.workspace = workspace
        self.access = access
        self.records = records
        self.actor = actor
        self.logger = logger
        self.rootFieldSlots = KeyedSemaphore(limit: max(1, maximumConcurrentRootFields))
    }

    /// Runs one root field once a slot is free: the request's later fields queue behind its earlier ones.
    func runRootField<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await rootFieldSlots.acquire(0)
        defer { rootFieldSlots.release(0) }
        return try await body()
    }

    /// The JSON rendered for a root response key, as the row's bytes.
    func json(for key: String) -> ByteBuffer? { rendered.withLock { $0[key] } }

    /// Runs a root field and keeps its JSON.
    @Sendable static func resolve(_ root: GraphQLRootField, _ args: Map, _ context: any Sendable, _ info: GraphQLResolveInfo) async throws -> (any Sendable)? {
        guard let state = context as? GraphQLRequestState else { throw AtriumError(.internalError, "GraphQL context missing") }
        let key = info.fieldASTs.first.map { $0.alias?.value ?? $0.name.value } ?? info.fieldName
        let text = try await state.runRootField { try await state.run(root, args, info) }
        state.rendered.withLock { $0[key] = text }
        return nil
    }

    private func run(_ root: GraphQLRootField, _ args: Map, _ info: GraphQLResolveInfo) async throws -> ByteBuffer {
        guard let object = workspace.object(nameSingular: root.object) else { throw AtriumError(.notFound, "Unknown object '\(root.object)'") }
        let scope = RecordScope(object, in: workspace, access: access, actor: actor, logger: logger)
        let reader = GraphQLSelectionReader(info: info, workspace: workspace)
        let arguments: OrderedDictionary<String, Map> = args.dictionary ?? [:]
        func filter() throws -> RecordFilter {
            guard let value = arguments["filter"], !value.isNull, !value.isUndefined else {
                throw AtriumError(.badRequest, "A filter is required")
            }
            return try GraphQLInputs.filter(value, object: object)
        }
        func id() throws -> UUID {
            guard let text = arguments["id"].flatMap(GraphQLInputs.string), let id = UUID(text: text) else {
                throw AtriumError(.badRequest, "'id' must be a valid UUID")
            }
            return id
        }
        func data() async throws -> JSONValue {
            let json = try GraphQLInputs.json(arguments["data"] ?? .null)
            return try await GraphQLRelationInputs(records: records, scope: scope).resolve(json, of: object)
        }
        func ids() throws -> [UUID]? {
            guard case .array(let items)? = arguments["ids"] else { return nil }
            return try items.compactMap { item in
                if item.isNull { return nil }
                guard let text = GraphQLInputs.string(item), let id = UUID(text: text) else {
                    throw AtriumError(.badRequest, "'ids' must be valid UUIDs")
                }
                return id
            }
        }
        let upsert = arguments["upsert"]?.bool ?? false
        switch root.operation {
        case .findMany:
            let tree = try reader.connection(info.fieldASTs, of: object, page: try reader.page(args, of: object))
            return try await records.findMany(tree, in: scope)
        case .findOne:
            let tree = try reader.record(info.fieldASTs, of: object)
            return try await records.findOne(.first(matching: try filter()), tree, in: scope)
        case .findDuplicates:
            let tree = try reader.connection(info.fieldASTs, of: object, page: PageRequest())
            let data: [JSONValue]? = switch try GraphQLInputs.json(arguments["data"] ?? .null) {
            case .array(let items): items
            default: nil
            }
            return try await records.findDuplicates(ids: try ids(), data: data, tree, in: scope)
        case .groupBy:
            var (query, page, view) = try GraphQLInputs.groupBy(arguments, object: object)
            if let view {
                let (definition, compiler) = try await ViewStore(database: records.database, cache: records.views).compiler(for: view, in: scope)
                query = try compiler.groupBy(definition, request: query)
                query.recordsSample = false  // each group's records are its connection
                page.filter = query.filter
                if page.order.isEmpty { page.order = try compiler.compile(definition).order }
            }
            let tree = try reader.connection(info.fieldASTs, of: object, page: page, isGroup: true)
            return try await records.groupBy(query, groups: tree, in: scope)
        case .mergeMany:
            let tree = try reader.record(info.fieldASTs, of: object)
            guard let priority = try GraphQLInputs.int(arguments["conflictPriorityIndex"], "conflictPriorityIndex") else {
                throw AtriumError(.badRequest, "conflictPriorityIndex is required")
            }
            return try await records.merge(ids: try ids() ?? [], priority: priority, dryRun: arguments["dryRun"]?.bool ?? false,
                                           tree, in: scope)
        case .createOne, .createMany:
            let many = root.operation == .createMany
            let inputs: [JSONValue]
            switch try await data() {
            case .array(let items) where many: inputs = items
            case let single where !many: inputs = [single]
            default: throw AtriumError(.badRequest, "'data' must be a list of records")
            }
            let tree = try reader.record(info.fieldASTs, of: object)
            return try await records.create(inputs, upsert: upsert, many: many, tree, in: scope)
        case .updateOne, .updateMany:
            let targets: RecordService.Targets = root.operation == .updateOne ? .one(try id()) : .matching(try filter())
            let tree = try reader.record(info.fieldASTs, of: object)
            return try await records.update(targets, try await data(), tree, in: scope)
        case .deleteOne, .deleteMany, .destroyOne, .destroyMany:
            let one = root.operation == .deleteOne || root.operation == .destroyOne
            let soft = root.operation == .deleteOne || root.operation == .deleteMany
            let tree = try reader.record(info.fieldASTs, of: object)
            return try await records.delete(one ? .one(try id()) : .matching(try filter()), soft: soft, tree, in: scope)
        case .restoreOne, .restoreMany:
            let tree = try reader.record(info.fieldASTs, of: object)
            let targets: RecordService.Targets = root.operation == .restoreOne ? .one(try id()) : .matching(try filter())
            return try await records.restore(targets, tree, in: scope)
        }
    }
}
