import Logging

/// Where one record operation runs and for whom: the workspace's snapshot, the object, what the caller may do
/// (never optional: internal callers say ``RecordAccess/unrestricted``), who acts (the `createdBy`/`updatedBy` a write
/// records and the actor its events name; ``RecordActor/system`` for the server's own work) and the request's logger.
/// Every ``RecordService`` operation takes one.
///
/// ```swift
/// let scope = RecordScope(company, in: snapshot, access: access, actor: identity.actor, logger: logger)
/// let body = try await records.findOne(.id(id), .allFields(), in: scope)
/// ```
public struct RecordScope: Sendable {
    public let workspace: WorkspaceSchema
    public let object: WorkspaceSchema.Object
    public let access: RecordAccess
    public let actor: RecordActor
    public let logger: Logger

    public init(
        _ object: WorkspaceSchema.Object, in workspace: WorkspaceSchema, access: RecordAccess, actor: RecordActor, logger: Logger
    ) {
        self.workspace = workspace
        self.object = object
        self.access = access
        self.actor = actor
        self.logger = logger
    }

    /// The same caller, workspace and logger, on another object.
    public func on(_ object: WorkspaceSchema.Object) -> RecordScope {
        RecordScope(object, in: workspace, access: access, actor: actor, logger: logger)
    }
}
