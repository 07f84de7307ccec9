-- DDL a metadata change defers until after its commit (index builds CONCURRENTLY, foreign key validation), recorded in
-- the change's transaction so that a crash between the commit and the work leaves the work to be done, not lost.
-- atrium:up
CREATE TABLE core."workspaceDeferredDDL" (
    "id" bigserial PRIMARY KEY,
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "kind" varchar NOT NULL,
    "schemaName" varchar NOT NULL,
    "objectName" varchar NOT NULL,
    "statement" text NOT NULL,
    "attempts" int NOT NULL DEFAULT 0,
    "lastError" text,
    "createdAt" timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX "IDX_WORKSPACE_DEFERRED_DDL_WORKSPACE" ON core."workspaceDeferredDDL" ("workspaceId", "id");
-- atrium:down
DROP TABLE core."workspaceDeferredDDL";
