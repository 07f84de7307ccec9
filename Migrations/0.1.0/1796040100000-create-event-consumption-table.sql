-- What each event consumer of `atrium worker` has done: one row per (consumer, event id), written in the same
-- transaction as the consumer's effect. Streams deliver at least once (a worker killed before its acknowledgement
-- hands its entries to another); this table makes each effect happen once. The worker drops rows older than the
-- stream keeps entries.
-- atrium:up
CREATE TABLE core."eventConsumption" (
    "consumer" text NOT NULL,
    "eventId" uuid NOT NULL,
    "consumedAt" timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY ("consumer", "eventId")
);
CREATE INDEX "IDX_EVENT_CONSUMPTION_CONSUMED_AT" ON core."eventConsumption" ("consumedAt");
-- atrium:down
DROP TABLE IF EXISTS core."eventConsumption";
