import Foundation
import Logging
import PostgresNIO

/// A workspace's webhooks in `core."webhook"`: list, read, create, update and (soft) delete, each within the caller's
/// workspace only. Target URLs must pass the ``OutboundTargetPolicy``; operations must be valid patterns.
public struct WebhookStore: Sendable {
    let database: Database
    public let policy: OutboundTargetPolicy

    public init(database: Database, policy: OutboundTargetPolicy) {
        self.database = database
        self.policy = policy
    }

    /// What a caller may change.
    public struct Changes: Sendable {
        public var targetUrl: String?
        public var operations: [String]?
        /// `.some(nil)` clears it.
        public var description: String??
        public var secret: String?

        public init(targetUrl: String? = nil, operations: [String]? = nil, description: String?? = nil, secret: String? = nil) {
            self.targetUrl = targetUrl
            self.operations = operations
            self.description = description
            self.secret = secret
        }
    }

    /// The workspace's live webhooks, oldest first.
    public func list(workspace: UUID, logger: Logger) async throws -> [Webhook] {
        let rows = try await database.query("""
            SELECT "id", "workspaceId", "targetUrl", "operations", "description", "secret", "createdAt", "updatedAt", "deletedAt" FROM core."webhook" WHERE "workspaceId" = \(workspace) AND "deletedAt" IS NULL ORDER BY "createdAt", "id"
            """, logger: logger)
        return try await Self.webhooks(rows)
    }

    /// One live webhook of the workspace.
    /// - Throws: ``AtriumError`` `.notFound` when the workspace has no such webhook.
    public func webhook(id: UUID, workspace: UUID, logger: Logger) async throws -> Webhook {
        let rows = try await database.query("""
            SELECT "id", "workspaceId", "targetUrl", "operations", "description", "secret", "createdAt", "updatedAt", "deletedAt" FROM core."webhook" WHERE "id" = \(id) AND "workspaceId" = \(workspace) AND "deletedAt" IS NULL
            """, logger: logger)
        guard let webhook = try await Self.webhooks(rows).first else { throw AtriumError(.notFound, "Webhook not found") }
        return webhook
    }

    /// Creates a webhook (operations `*.*` and a random secret unless given).
    public func create(
        id: UUID? = nil, targetUrl: String, operations: [String]?, description: String?, secret: String?, workspace: UUID, logger: Logger
    ) async throws -> Webhook {
        try policy.check(targetUrl)
        let operations = operations ?? ["*.*"]
        try Webhook.validate(operations: operations)
        if let secret, secret.isEmpty { throw AtriumError(.badRequest, "secret must not be empty") }
        let secret = secret ?? Webhook.newSecret()
        do {
            let rows = try await database.query("""
                INSERT INTO core."webhook" ("id", "workspaceId", "targetUrl", "operations", "description", "secret")
                VALUES (\(id ?? UUID()), \(workspace), \(targetUrl), \(operations), \(description), \(secret)) RETURNING "id", "workspaceId", "targetUrl", "operations", "description", "secret", "createdAt", "updatedAt", "deletedAt"
                """, logger: logger)
            guard let webhook = try await Self.webhooks(rows).first else { throw AtriumError(.internalError, "The webhook was not created") }
            return webhook
        } catch let error as AtriumError where error.code == .conflict {
            throw AtriumError(.badRequest, "A webhook with this id exists already")
        }
    }

    /// Applies `changes` to a live webhook of the workspace.
    /// - Throws: ``AtriumError`` `.notFound` when the workspace has no such webhook.
    public func update(id: UUID, _ changes: Changes, workspace: UUID, logger: Logger) async throws -> Webhook {
        if let targetUrl = changes.targetUrl { try policy.check(targetUrl) }
        if let operations = changes.operations { try Webhook.validate(operations: operations) }
        if let secret = changes.secret, secret.isEmpty { throw AtriumError(.badRequest, "secret must not be empty") }
        let clearsOrSetsDescription = changes.description != nil
        let description = changes.description ?? nil
        let rows = try await database.query("""
            UPDATE core."webhook" SET "targetUrl" = COALESCE(\(changes.targetUrl), "targetUrl"),
                "operations" = COALESCE(\(changes.operations), "operations"),
                "description" = CASE WHEN \(clearsOrSetsDescription) THEN \(description) ELSE "description" END,
                "secret" = COALESCE(\(changes.secret), "secret"), "updatedAt" = now()
            WHERE "id" = \(id) AND "workspaceId" = \(workspace) AND "deletedAt" IS NULL RETURNING "id", "workspaceId", "targetUrl", "operations", "description", "secret", "createdAt", "updatedAt", "deletedAt"
            """, logger: logger)
        guard let webhook = try await Self.webhooks(rows).first else { throw AtriumError(.notFound, "Webhook not found") }
        return webhook
    }

    /// Deletes (soft) a live webhook of the workspace; returns it as it was.
    /// - Throws: ``AtriumError`` `.notFound` when the workspace has no such webhook.
    public func delete(id: UUID, workspace: UUID, logger: Logger) async throws -> Webhook {
        let rows = try await database.query("""
            UPDATE core."webhook" SET "deletedAt" = now(), "updatedAt" = now()
            WHERE "id" = \(id) AND "workspaceId" = \(workspace) AND "deletedAt" IS NULL RETURNING "id", "workspaceId", "targetUrl", "operations", "description", "secret", "createdAt", "updatedAt", "deletedAt"
            """, logger: logger)
        guard let webhook = try await Self.webhooks(rows).first else { throw AtriumError(.notFound, "Webhook not found") }
        return webhook
    }

    private static func webhooks(_ rows: DatabaseRows) async throws -> [Webhook] {
        var webhooks: [Webhook] = []
        for try await (id, workspace, url, operations, description, secret, created, updated, deleted) in rows.decode(
            (UUID, UUID, String, [String], String?, String, Date, Date, Date?).self
        ) {
            webhooks.append(Webhook(id: id, workspaceID: workspace, targetUrl: url, operations: operations, description: description,
                                    secret: secret, createdAt: created, updatedAt: updated, deletedAt: deleted))
        }
        return webhooks
    }
}
