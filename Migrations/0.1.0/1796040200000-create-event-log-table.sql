-- The audit log: every record event, kept for EVENT_LOG_RETENTION_DAYS (the worker drops older ones), readable by
-- roles with the SECURITY flag (GET /rest/metadata/eventLogs). "id" is the event's id (a UUIDv7, so the primary key
-- orders by time): the worker's event-log consumer inserts each event once whatever how often it is delivered.
-- atrium:up
CREATE TABLE core."eventLog" (
    "id" uuid PRIMARY KEY,
    "workspaceId" uuid NOT NULL,
    "name" text NOT NULL,
    "objectMetadataId" uuid NOT NULL,
    "recordId" uuid NOT NULL,
    "userId" uuid,
    "workspaceMemberId" uuid,
    "apiKeyId" uuid,
    "properties" jsonb NOT NULL,
    "createdAt" timestamptz NOT NULL
);
CREATE INDEX "IDX_EVENT_LOG_WORKSPACE_ID" ON core."eventLog" ("workspaceId", "id" DESC);
CREATE INDEX "IDX_EVENT_LOG_WORKSPACE_RECORD" ON core."eventLog" ("workspaceId", "recordId", "id" DESC);
CREATE INDEX "IDX_EVENT_LOG_CREATED_AT" ON core."eventLog" ("createdAt");
-- atrium:down
DROP TABLE IF EXISTS core."eventLog";
