-- The webhook delivery log: one row per (webhook, event), written by the worker's webhook consumer, sent and retried
-- by its delivery loop. "body" is the exact JSON sent (signed as sent); "status" is PENDING (waiting for its first
-- attempt or a retry at "nextAttemptAt"), DELIVERED (a 2xx answer) or FAILED (every attempt spent). Admins read it and
-- can ask for a redelivery.
-- atrium:up
CREATE TABLE core."webhookDelivery" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL,
    "webhookId" uuid NOT NULL REFERENCES core."webhook" ("id") ON DELETE CASCADE,
    "eventId" uuid NOT NULL,
    "eventName" text NOT NULL,
    "body" text NOT NULL,
    "status" text NOT NULL DEFAULT 'PENDING',
    "attempts" int NOT NULL DEFAULT 0,
    "lastStatusCode" int,
    "lastError" text,
    "lastDurationMs" int,
    "nextAttemptAt" timestamptz NOT NULL DEFAULT now(),
    "deliveredAt" timestamptz,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    UNIQUE ("webhookId", "eventId")
);
CREATE INDEX "IDX_WEBHOOK_DELIVERY_DUE" ON core."webhookDelivery" ("nextAttemptAt") WHERE "status" = 'PENDING';
CREATE INDEX "IDX_WEBHOOK_DELIVERY_WEBHOOK" ON core."webhookDelivery" ("webhookId", "eventId");
-- atrium:down
DROP TABLE IF EXISTS core."webhookDelivery";
