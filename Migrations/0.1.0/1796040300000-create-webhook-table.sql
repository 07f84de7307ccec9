-- Webhooks (Twenty's core."webhook"): a workspace's subscriptions to its record events. "operations" holds patterns
-- (company.created, company.*, *.updated, *.*); "secret" signs every delivery (32 random bytes as hex unless given).
-- Deleting a webhook sets "deletedAt"; a workspace's hard deletion removes its webhooks.
-- atrium:up
CREATE TABLE core."webhook" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "targetUrl" varchar NOT NULL,
    "operations" text[] NOT NULL DEFAULT '{*.*}',
    "description" varchar,
    "secret" varchar NOT NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE INDEX "IDX_WEBHOOK_WORKSPACE_ID" ON core."webhook" ("workspaceId");
-- atrium:down
DROP TABLE IF EXISTS core."webhook";
