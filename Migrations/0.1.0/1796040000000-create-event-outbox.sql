-- The event outbox: every record write inserts its events here in the same statement (a data-modifying CTE), so a
-- write that commits has its events and one that fails has none. `atrium worker` relays the rows to Redis Streams in
-- "position" order and deletes them in the same transaction. "id" is the event's id: a UUIDv7 (time-ordered,
-- millisecond clock, 74 random bits) that consumers deduplicate by.
-- atrium:up
CREATE OR REPLACE FUNCTION core."atrium_uuid_v7"() RETURNS uuid LANGUAGE sql VOLATILE AS $fn$
    SELECT encode(
        set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
                    PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                    FROM 1 FOR 6),
            52, 1), 53, 1),
        'hex')::uuid
$fn$;
CREATE TABLE core."eventOutbox" (
    "position" bigserial PRIMARY KEY,
    "id" uuid NOT NULL DEFAULT core."atrium_uuid_v7"(),
    "workspaceId" uuid NOT NULL,
    "name" text NOT NULL,
    "objectMetadataId" uuid NOT NULL,
    "recordId" uuid NOT NULL,
    "userId" uuid,
    "workspaceMemberId" uuid,
    "apiKeyId" uuid,
    "properties" jsonb NOT NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now()
);
-- atrium:down
DROP TABLE IF EXISTS core."eventOutbox";
DROP FUNCTION IF EXISTS core."atrium_uuid_v7"();
