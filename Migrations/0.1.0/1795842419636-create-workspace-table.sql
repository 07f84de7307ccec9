-- The workspace table: one row per tenant, whose records live in the schema named by "databaseSchema".
-- Columns follow Twenty's core.workspace (CONTRACT.md §1.1); the default-role check arrives with roles.
-- atrium:up
CREATE TYPE core."workspace_activationStatus_enum" AS ENUM (
    'PENDING_CREATION', 'ONGOING_CREATION', 'ACTIVE', 'INACTIVE', 'SUSPENDED'
);
CREATE TABLE core."workspace" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "displayName" varchar,
    "logo" varchar,
    "inviteHash" varchar,
    "allowImpersonation" boolean NOT NULL DEFAULT true,
    "isPublicInviteLinkEnabled" boolean NOT NULL DEFAULT true,
    "trashRetentionDays" integer NOT NULL DEFAULT 14,
    "activationStatus" core."workspace_activationStatus_enum" NOT NULL DEFAULT 'INACTIVE',
    "metadataVersion" integer NOT NULL DEFAULT 1,
    "databaseUrl" varchar NOT NULL DEFAULT '',
    "databaseSchema" varchar NOT NULL DEFAULT '',
    "subdomain" varchar NOT NULL,
    "customDomain" varchar,
    "isGoogleAuthEnabled" boolean NOT NULL DEFAULT true,
    "isMicrosoftAuthEnabled" boolean NOT NULL DEFAULT true,
    "isPasswordAuthEnabled" boolean NOT NULL DEFAULT true,
    "isTwoFactorAuthenticationEnforced" boolean NOT NULL DEFAULT false,
    "isCustomDomainEnabled" boolean NOT NULL DEFAULT false,
    "editableProfileFields" varchar[] DEFAULT '{email,profilePicture,firstName,lastName}',
    "defaultRoleId" uuid,
    "version" varchar,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz,
    CONSTRAINT "UQ_WORKSPACE_SUBDOMAIN" UNIQUE ("subdomain"),
    CONSTRAINT "UQ_WORKSPACE_CUSTOM_DOMAIN" UNIQUE ("customDomain")
);
CREATE INDEX "IDX_WORKSPACE_ACTIVATION_STATUS" ON core."workspace" ("activationStatus");
-- atrium:down
DROP TABLE core."workspace";
DROP TYPE core."workspace_activationStatus_enum";
