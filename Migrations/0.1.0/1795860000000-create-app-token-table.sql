-- Tokens a user or an invitee holds (CONTRACT.md §1.1 core."appToken"): refresh tokens (the refresh JWT's jti is the
-- row id, "value" is empty) and invitations ("value" is the SHA-256 hex of the invitation token, never the token).
-- atrium:up
CREATE TABLE core."appToken" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "userId" uuid REFERENCES core."user" ("id") ON DELETE CASCADE,
    "workspaceId" uuid REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "type" text NOT NULL,
    "value" text,
    "expiresAt" timestamptz NOT NULL,
    "revokedAt" timestamptz,
    "deletedAt" timestamptz,
    "context" jsonb,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX "IDX_APP_TOKEN_USER_TYPE" ON core."appToken" ("userId", "type");
CREATE INDEX "IDX_APP_TOKEN_WORKSPACE_TYPE" ON core."appToken" ("workspaceId", "type");
CREATE UNIQUE INDEX "IDX_APP_TOKEN_VALUE" ON core."appToken" ("value") WHERE "value" IS NOT NULL;
-- atrium:down
DROP TABLE core."appToken";
