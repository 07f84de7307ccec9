-- Pre-built, empty workspace schemas: creating a workspace renames one instead of running its DDL (see SpareSchemaPool).
-- atrium:up
CREATE TABLE core."workspaceSchemaSpare" (
    "schemaName" varchar PRIMARY KEY,
    "fingerprint" varchar NOT NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX "IDX_WORKSPACE_SCHEMA_SPARE_FINGERPRINT" ON core."workspaceSchemaSpare" ("fingerprint", "createdAt");
-- atrium:down
DROP TABLE core."workspaceSchemaSpare";
