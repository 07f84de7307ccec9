import Logging

/// Where one record operation runs and for whom: the workspace's snapshot, the object, what the caller may do
/// (never optional: internal callers say ``RecordAccess/unrestricted``) and the request's logger. Every
/// ``RecordService`` operation takes one.
///
/// ```swift
/// let scope = RecordScope(company, in: snapshot, access: access, logger: logger)
/// let body = try await records.findOne(.id(id), .allFields(), in: scope)
/// ```
public struct RecordScope: Sendable {
    public let workspace: WorkspaceSchema
    public let object: WorkspaceSchema.Object
    public let access: RecordAccess
    public let logger: Logger

    public init(_ object: WorkspaceSchema.Object, in workspace: WorkspaceSchema, access: RecordAccess, logger: Logger) {
        self.workspace = workspace
        self.object = object
        self.access = access
        self.logger = logger
    }

    /// The same caller, workspace and logger, on another object.
    public func on(_ object: WorkspaceSchema.Object) -> RecordScope {
        RecordScope(object, in: workspace, access: access, logger: logger)
    }
}
