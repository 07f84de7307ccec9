import Foundation
import Logging
import NIOCore
import PostgresNIO

/// A webhook's delivery log, as its workspace's administrators read it: each delivery's event, status, attempts, last
/// answer or error, duration and next attempt; and a redelivery on request.
public struct WebhookDeliveryLog: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// `{"data":{"webhookDeliveries":[…]}}`, newest event first, at most `limit` (1–500) — rendered by PostgreSQL.
    /// - Throws: ``AtriumError`` `.notFound` when the workspace has no such webhook.
    public func deliveries(webhook: UUID, workspace: UUID, limit: Int, logger: Logger) async throws -> ByteBuffer {
        guard (1...500).contains(limit) else { throw AtriumError(.badRequest, "limit must be between 1 and 500") }
        let rows = try await database.query("""
            SELECT CASE WHEN w."id" IS NULL THEN NULL ELSE json_build_object('data', json_build_object('webhookDeliveries', COALESCE((
                SELECT json_agg(json_build_object('id', d."id", 'webhookId', d."webhookId", 'eventId', d."eventId", 'eventName', d."eventName",
                    'status', d."status", 'attempts', d."attempts", 'lastStatusCode', d."lastStatusCode", 'lastError', d."lastError",
                    'lastDurationMs', d."lastDurationMs",
                    'nextAttemptAt', CASE WHEN d."status" = 'PENDING' THEN to_char(d."nextAttemptAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END,
                    'deliveredAt', to_char(d."deliveredAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                    'createdAt', to_char(d."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY d."eventId" DESC)
                FROM (SELECT * FROM core."webhookDelivery" WHERE "webhookId" = w."id" ORDER BY "eventId" DESC LIMIT \(limit)) d), '[]'::json)))::text END
            FROM (SELECT 1) one LEFT JOIN core."webhook" w ON w."id" = \(webhook) AND w."workspaceId" = \(workspace) AND w."deletedAt" IS NULL
            """, logger: logger)
        for try await text in rows.decode(ByteBuffer?.self) {
            guard let text else { throw AtriumError(.notFound, "Webhook not found") }
            return text
        }
        throw AtriumError(.notFound, "Webhook not found")
    }

    /// Sends delivery `id` of the webhook again as soon as possible (with a fresh set of attempts); returns whether
    /// there was such a delivery.
    public func redeliver(_ id: UUID, webhook: UUID, workspace: UUID, logger: Logger) async throws -> Bool {
        let rows = try await database.query("""
            UPDATE core."webhookDelivery" d SET "status" = 'PENDING', "attempts" = 0, "nextAttemptAt" = now(), "deliveredAt" = NULL,
                "updatedAt" = now()
            FROM core."webhook" w
            WHERE d."id" = \(id) AND d."webhookId" = \(webhook) AND w."id" = d."webhookId" AND w."workspaceId" = \(workspace)
                AND w."deletedAt" IS NULL
            RETURNING d."id"
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }
}
