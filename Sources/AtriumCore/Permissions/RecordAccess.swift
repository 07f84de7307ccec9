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

    /// What the caller may do with `object`'s records, and which of its fields and rows: the one place the role's rules
    /// are read. Worked out once per role, snapshot, object and member, then reused.
    /// - Throws: When the role's row-level rule cannot be compiled against `workspace`.
    public func policy(for object: WorkspaceSchema.Object, in workspace: WorkspaceSchema) throws -> ObjectPolicy {
        guard let role else { return .unrestricted }
        let key = ObjectPolicyCache.Key(metadataVersion: workspace.metadataVersion, object: object.id, member: workspaceMemberID)
        return try role.policies.policy(for: key) {
            try ObjectPolicy.make(role, object: object, in: workspace, member: workspaceMemberID)
        }
    }

    /// Record expressions rendered for this caller's role, reused by later requests; nil when unrestricted.
    var renderedRecords: RenderedRecordCache? { role?.renderedRecords }


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
