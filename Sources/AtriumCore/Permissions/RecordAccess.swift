import Foundation

/// What the caller of one request may do with records: its role's effective permissions and, for row-level
/// predicates comparing with "me", its workspace member. Every ``RecordService`` operation takes one (in its
/// ``RecordScope``) and enforces it for REST and GraphQL alike; code acting for no caller must name ``unrestricted``.
public struct RecordAccess: Sendable {
    /// The role's permissions; nil for ``unrestricted``.
    private let role: RolePermissions?
    /// The caller's workspace member; nil for an API key.
    public let workspaceMemberID: UUID?

    public init(permissions: RolePermissions, workspaceMemberID: UUID?) {
        self.role = permissions
        self.workspaceMemberID = workspaceMemberID
    }

    private init() {
        self.role = nil
        self.workspaceMemberID = nil
    }

    /// Everything allowed: for the server's own work, never for a request.
    public static let unrestricted = RecordAccess()

    /// What the caller may do with `object`'s records.
    public func permissions(on object: WorkspaceSchema.Object) -> ObjectPermissions {
        role?.permissions(on: object) ?? .all
    }

    /// Record expressions rendered for this caller's role, reused by later requests; nil when unrestricted.
    var renderedRecords: RenderedRecordCache? { role?.renderedRecords }

    /// - Throws: ``AtriumError`` `.forbidden` when the role may not perform `operation` on `object`'s records.
    public func require(_ operation: RecordOperation, on object: WorkspaceSchema.Object) throws {
        guard permissions(on: object).allows(operation) else {
            throw AtriumError.permissionDenied()
        }
    }

    /// The names of `object`'s fields the role may not read.
    public func unreadableFields(of object: WorkspaceSchema.Object) -> Set<String> {
        restricted(object) { !$0.canRead }
    }

    /// The names of `object`'s fields the role may not write.
    public func unwritableFields(of object: WorkspaceSchema.Object) -> Set<String> {
        restricted(object) { !$0.canUpdate }
    }

    private func restricted(_ object: WorkspaceSchema.Object, _ test: (ObjectPermissions.FieldRestriction) -> Bool) -> Set<String> {
        let restrictions = permissions(on: object).restrictedFields
        guard !restrictions.isEmpty else { return [] }
        return Set(object.fields.filter { restrictions[$0.id].map(test) ?? false }.map(\.name))
    }

    /// The row-level filter of `object` for this caller, or nil when the role has none.
    public func rowFilter(on object: WorkspaceSchema.Object, in schema: WorkspaceSchema) throws -> RecordFilter? {
        guard let rule = role?.rowLevel[object.id] else { return nil }
        return try rule.filter(on: object, in: schema, member: workspaceMemberID)
    }

    /// - Throws: ``AtriumError`` `.forbidden` unless the role holds `flag` (or the matching all-settings/all-tools right).
    public func require(_ flag: PermissionFlag) throws {
        guard role?.has(flag) ?? true else { throw AtriumError.permissionDenied() }
    }
}

extension AtriumError {
    /// Twenty's PERMISSION_DENIED: 403 over REST, FORBIDDEN over GraphQL.
    public static func permissionDenied() -> AtriumError {
        AtriumError(.forbidden, "User does not have permission")
    }
}
