-- Values an event's "before" image cannot hold: a change that removes SELECT options clears them from the records
-- and changes the column's enum type in the same transaction, so the records' former values no longer fit the table
-- the relay renders images into. Such an event stores the record as it is now as "before" (and "after") and its former
-- values here ({"<field>": <value>}); the relay renders "before" and lays these over it.
-- atrium:up
ALTER TABLE core."eventOutbox" ADD COLUMN "beforeFields" jsonb;
-- atrium:down
ALTER TABLE core."eventOutbox" DROP COLUMN IF EXISTS "beforeFields";
