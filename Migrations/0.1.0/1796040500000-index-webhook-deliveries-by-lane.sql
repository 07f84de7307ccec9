-- What the delivery loop claims for each webhook: its oldest deliveries not yet tried, in event order, and its due
-- retries. Without these, finding them would read the webhook's whole delivery history. The index on
-- "nextAttemptAt" of every pending delivery served the first claim query and no longer serves any (the planner chose
-- it over these on fresh statistics, reading every pending row); the one on ("webhookId", "eventId") repeats the
-- unique constraint's.
-- atrium:up
CREATE INDEX "IDX_WEBHOOK_DELIVERY_FIRST_ATTEMPTS" ON core."webhookDelivery" ("webhookId", "eventId")
    WHERE "status" = 'PENDING' AND "attempts" = 0;
CREATE INDEX "IDX_WEBHOOK_DELIVERY_RETRIES" ON core."webhookDelivery" ("webhookId", "nextAttemptAt")
    WHERE "status" = 'PENDING' AND "attempts" > 0;
DROP INDEX IF EXISTS core."IDX_WEBHOOK_DELIVERY_DUE";
DROP INDEX IF EXISTS core."IDX_WEBHOOK_DELIVERY_WEBHOOK";
-- atrium:down
DROP INDEX IF EXISTS core."IDX_WEBHOOK_DELIVERY_FIRST_ATTEMPTS";
DROP INDEX IF EXISTS core."IDX_WEBHOOK_DELIVERY_RETRIES";
CREATE INDEX IF NOT EXISTS "IDX_WEBHOOK_DELIVERY_DUE" ON core."webhookDelivery" ("nextAttemptAt") WHERE "status" = 'PENDING';
CREATE INDEX IF NOT EXISTS "IDX_WEBHOOK_DELIVERY_WEBHOOK" ON core."webhookDelivery" ("webhookId", "eventId");
