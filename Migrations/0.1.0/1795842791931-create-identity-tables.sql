-- Users, their memberships and machine API keys (CONTRACT.md §1.1).
-- atrium:up
CREATE TABLE core."user" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "firstName" varchar NOT NULL DEFAULT '',
    "lastName" varchar NOT NULL DEFAULT '',
    "email" varchar NOT NULL,
    "defaultAvatarUrl" varchar,
    "isEmailVerified" boolean NOT NULL DEFAULT false,
    "disabled" boolean NOT NULL DEFAULT false,
    "passwordHash" varchar,
    "canImpersonate" boolean NOT NULL DEFAULT false,
    "canAccessFullAdminPanel" boolean NOT NULL DEFAULT false,
    "locale" varchar NOT NULL DEFAULT 'en',
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE UNIQUE INDEX "UQ_USER_EMAIL" ON core."user" (lower("email")) WHERE "deletedAt" IS NULL;
CREATE TABLE core."userWorkspace" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "userId" uuid NOT NULL REFERENCES core."user" ("id") ON DELETE CASCADE,
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "defaultAvatarUrl" varchar,
    "locale" varchar NOT NULL DEFAULT 'en',
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz,
    CONSTRAINT "IDX_USER_WORKSPACE_USER_WORKSPACE_UNIQUE" UNIQUE ("userId", "workspaceId")
);
CREATE INDEX "IDX_USER_WORKSPACE_WORKSPACE" ON core."userWorkspace" ("workspaceId");
CREATE TABLE core."apiKey" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "name" varchar NOT NULL,
    "expiresAt" timestamptz NOT NULL,
    "revokedAt" timestamptz,
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE INDEX "IDX_API_KEY_WORKSPACE" ON core."apiKey" ("workspaceId");
-- atrium:down
DROP TABLE core."apiKey";
DROP TABLE core."userWorkspace";
DROP TABLE core."user";
