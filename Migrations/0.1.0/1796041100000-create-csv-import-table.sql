-- CSV imports too large to answer in the request (POST /rest/<plural>/import): the API server stages the file's valid
-- rows in an unlogged table of schema csv_import (named by the import's id) and queues a row here; a worker claims it
-- (lease), checks the staged rows against the database, then writes them in ranges, each range committed with the
-- progress it makes ("rowsDone"), so a worker that dies leaves the import to the next one where it stopped.
-- atrium:up
CREATE SCHEMA IF NOT EXISTS csv_import;
CREATE TABLE core."csvImport" (
  "id" uuid PRIMARY KEY,
  "workspaceId" uuid NOT NULL REFERENCES core."workspace"("id") ON DELETE CASCADE,
  "objectMetadataId" uuid NOT NULL,
  -- QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED
  "status" text NOT NULL DEFAULT 'QUEUED',
  "upsert" boolean NOT NULL,
  "atomic" boolean NOT NULL,
  "header" text[] NOT NULL,
  "mapping" jsonb NOT NULL DEFAULT '{}',
  "rowCount" integer NOT NULL,
  "rowsDone" integer NOT NULL DEFAULT 0,
  "createdCount" integer NOT NULL DEFAULT 0,
  "updatedCount" integer NOT NULL DEFAULT 0,
  "failedCount" integer NOT NULL DEFAULT 0,
  -- The first refused rows: [{"row", "line", "column", "value", "message"}].
  "errors" jsonb NOT NULL DEFAULT '[]',
  "checked" boolean NOT NULL DEFAULT false,
  "message" text,
  "userId" uuid,
  "workspaceMemberId" uuid,
  "apiKeyId" uuid,
  "actorName" text NOT NULL DEFAULT '',
  "leaseUntil" timestamptz,
  "createdAt" timestamptz NOT NULL DEFAULT now(),
  "startedAt" timestamptz,
  "finishedAt" timestamptz
);
CREATE INDEX "IDX_csvImport_pending" ON core."csvImport" ("createdAt") WHERE "status" IN ('QUEUED', 'RUNNING');
CREATE INDEX "IDX_csvImport_workspace" ON core."csvImport" ("workspaceId", "createdAt");
-- atrium:down
DROP TABLE IF EXISTS core."csvImport";
DROP SCHEMA IF EXISTS csv_import CASCADE;
