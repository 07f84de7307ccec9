-- The event outbox: every record write inserts its events here in the same statement (a data-modifying CTE), so a
-- write that commits has its events and one that fails has none. A write stores only the raw images of the record
-- ("before" and "after", `to_jsonb` of the table rows: cheap enough for the hot path); `atrium worker` renders them in
-- Twenty's shape when it relays the rows to Redis Streams, in "position" order, deleting them in the same transaction.
-- An event's id is derived from "createdAt" (milliseconds) and "position": a UUIDv7, time-ordered and the same however
-- often it is relayed, so consumers deduplicate by it.
-- atrium:up
CREATE TABLE core."eventOutbox" (
    "position" bigserial PRIMARY KEY,
    "workspaceId" uuid NOT NULL,
    "name" text NOT NULL,
    "objectMetadataId" uuid NOT NULL,
    "recordId" uuid NOT NULL,
    "userId" uuid,
    "workspaceMemberId" uuid,
    "apiKeyId" uuid,
    "before" jsonb,
    "after" jsonb,
    "createdAt" timestamptz NOT NULL DEFAULT now()
);
-- atrium:down
DROP TABLE IF EXISTS core."eventOutbox";
