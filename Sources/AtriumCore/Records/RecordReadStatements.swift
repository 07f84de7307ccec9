import Foundation

/// The parts every statement over one object's records shares: its table, the caller's policy on it, the matching
/// condition (filter, soft deletion, row-level rule) and the checks that refuse unreadable fields.
struct RecordReadStatements {
    let object: WorkspaceSchema.Object
    let schema: SQLIdentifier
    let table: SQLIdentifier
    /// The snapshot the statements are built against.
    let workspace: WorkspaceSchema
    /// What the caller may read and write: the statements are limited by it.
    let access: RecordAccess
    /// The caller's policy on ``object``, worked out before any SQL is built.
    let policy: ObjectPolicy

    init(object: WorkspaceSchema.Object, schema: WorkspaceSchema, access: RecordAccess) throws {
        self.object = object
        self.schema = try SQLIdentifier(schema.databaseSchema)
        self.table = try SQLIdentifier(object.targetTableName)
        self.workspace = schema
        self.access = access
        self.policy = try access.policy(for: object, in: schema)
    }

    /// The statements of the scope's object, for its caller.
    init(_ scope: RecordScope) throws {
        try self.init(object: scope.object, schema: scope.workspace, access: scope.access)
    }

    /// Refuses a filter or order on a field the caller may not read (403).
    func requireReadable(_ fields: [String]) throws {
        if fields.contains(where: policy.isUnreadable) { throw AtriumError.permissionDenied() }
    }

    /// Refuses (403) an aggregate named like `sumEmployees` over a field the caller may not read.
    func requireReadable(aggregates names: [String]) throws {
        let unreadable = policy.unreadableFields.map(\.capitalizedFirst)
        guard !unreadable.isEmpty else { return }
        for name in names {
            guard let operation = RecordAggregate.Operation.allCases.first(where: { name.hasPrefix($0.rawValue) }) else { continue }
            let rest = name.dropFirst(operation.rawValue.count)
            if unreadable.contains(where: { rest.hasPrefix($0) }) { throw AtriumError.permissionDenied() }
        }
    }

    /// ` AND (<row-level condition>)` when the caller's role has row-level predicates on the object.
    func appendRowLevel(alias: String, to sql: inout SQLBuilder) throws {
        guard let filter = policy.rowFilter else { return }
        sql.append(" AND ")
        try FilterCompiler(object: object, schema: schema, alias: alias).append(filter, to: &sql)
    }

    /// `<alias>."id" = <id> AND <alias>."deletedAt" IS NULL` (without the second part when `includeDeleted`), and the
    /// caller's row-level rule: the one record a statement addresses by id.
    func appendRecord(_ id: UUID, alias: String, includeDeleted: Bool = false, to sql: inout SQLBuilder) throws {
        sql.append("\(alias).\"id\" = ")
        sql.bind(id.lowercased)
        sql.append("::uuid")
        if !includeDeleted { sql.append(" AND \(alias).\"deletedAt\" IS NULL") }
        try appendRowLevel(alias: alias, to: &sql)
    }

    /// The filter, plus "not soft-deleted" unless the filter itself addresses `deletedAt` (Twenty's rule).
    func appendMatching(_ filter: RecordFilter?, alias: String, to sql: inout SQLBuilder) throws {
        let includesDeleted = filter?.mentions(field: "deletedAt") ?? false
        if !includesDeleted { sql.append("\(alias).\"deletedAt\" IS NULL AND ") }
        if let filter {
            try requireReadable(filter.fieldNames)
            try FilterCompiler(object: object, schema: schema, alias: alias).append(filter, to: &sql)
        } else {
            sql.append("TRUE")
        }
        try appendRowLevel(alias: alias, to: &sql)
    }

    /// ` ELSE core."atrium_refuse_cursor"(id) END`: the end of a `CASE WHEN <the cursor's record exists> THEN <page>`,
    /// raising SQLSTATE AT001 (a 400 naming the cursor) when it does not.
    static func appendCursorRefusal(_ cursorID: UUID, to sql: inout SQLBuilder) {
        sql.append(" ELSE core.\"atrium_refuse_cursor\"(")
        sql.bind(cursorID.lowercased)
        sql.append(") END")
    }

    /// Cursors are record ids (what Atrium hands out as `startCursor`/`endCursor`).
    static func cursorID(_ cursor: String) throws -> UUID {
        guard let id = UUID(text: cursor) else { throw AtriumError(.badRequest, "Invalid cursor '\(cursor)'") }
        return id
    }
}
