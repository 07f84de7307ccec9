-- Roles and permissions (CONTRACT.md §7): roles, their targets (a member, an agent or an API key), per-object
-- overrides, per-field restrictions, settings/tool flags, row-level predicates and their groups. The role new members
-- get is core.workspace."defaultRoleId" (a column since the workspace table was created).
-- atrium:up
CREATE TABLE core."role" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "label" varchar NOT NULL,
    "description" text,
    "icon" varchar,
    "isEditable" boolean NOT NULL DEFAULT true,
    "canUpdateAllSettings" boolean NOT NULL DEFAULT false,
    "canAccessAllTools" boolean NOT NULL DEFAULT false,
    "canReadAllObjectRecords" boolean NOT NULL DEFAULT false,
    "canUpdateAllObjectRecords" boolean NOT NULL DEFAULT false,
    "canSoftDeleteAllObjectRecords" boolean NOT NULL DEFAULT false,
    "canDestroyAllObjectRecords" boolean NOT NULL DEFAULT false,
    "canBeAssignedToUsers" boolean NOT NULL DEFAULT true,
    "canBeAssignedToAgents" boolean NOT NULL DEFAULT true,
    "canBeAssignedToApiKeys" boolean NOT NULL DEFAULT true,
    "standardId" uuid,
    "universalIdentifier" uuid,
    "applicationId" uuid,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT "IDX_ROLE_LABEL_WORKSPACE_ID_UNIQUE" UNIQUE ("label", "workspaceId")
);
CREATE INDEX "IDX_ROLE_WORKSPACE" ON core."role" ("workspaceId");
CREATE TABLE core."roleTargets" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "roleId" uuid NOT NULL REFERENCES core."role" ("id") ON DELETE CASCADE,
    "userWorkspaceId" uuid REFERENCES core."userWorkspace" ("id") ON DELETE CASCADE,
    "agentId" uuid,
    "apiKeyId" uuid REFERENCES core."apiKey" ("id") ON DELETE CASCADE,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT "CHK_role_targets_single_entity" CHECK (
        ("userWorkspaceId" IS NOT NULL)::int + ("agentId" IS NOT NULL)::int + ("apiKeyId" IS NOT NULL)::int = 1
    )
);
CREATE UNIQUE INDEX "IDX_ROLE_TARGETS_USER_WORKSPACE" ON core."roleTargets" ("userWorkspaceId") WHERE "userWorkspaceId" IS NOT NULL;
CREATE UNIQUE INDEX "IDX_ROLE_TARGETS_AGENT" ON core."roleTargets" ("agentId") WHERE "agentId" IS NOT NULL;
CREATE UNIQUE INDEX "IDX_ROLE_TARGETS_API_KEY" ON core."roleTargets" ("apiKeyId") WHERE "apiKeyId" IS NOT NULL;
CREATE INDEX "IDX_ROLE_TARGETS_WORKSPACE" ON core."roleTargets" ("workspaceId");
CREATE INDEX "IDX_ROLE_TARGETS_ROLE" ON core."roleTargets" ("roleId");
CREATE TABLE core."objectPermission" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "roleId" uuid NOT NULL REFERENCES core."role" ("id") ON DELETE CASCADE,
    "objectMetadataId" uuid NOT NULL REFERENCES core."objectMetadata" ("id") ON DELETE CASCADE,
    "canReadObjectRecords" boolean,
    "canUpdateObjectRecords" boolean,
    "canSoftDeleteObjectRecords" boolean,
    "canDestroyObjectRecords" boolean,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT "IDX_OBJECT_PERMISSION_OBJECT_METADATA_ID_ROLE_ID_UNIQUE" UNIQUE ("objectMetadataId", "roleId")
);
CREATE INDEX "IDX_OBJECT_PERMISSION_WORKSPACE" ON core."objectPermission" ("workspaceId");
CREATE TABLE core."fieldPermission" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "roleId" uuid NOT NULL REFERENCES core."role" ("id") ON DELETE CASCADE,
    "objectMetadataId" uuid NOT NULL REFERENCES core."objectMetadata" ("id") ON DELETE CASCADE,
    "fieldMetadataId" uuid NOT NULL REFERENCES core."fieldMetadata" ("id") ON DELETE CASCADE,
    "canReadFieldValue" boolean CHECK ("canReadFieldValue" IS NULL OR "canReadFieldValue" = false),
    "canUpdateFieldValue" boolean CHECK ("canUpdateFieldValue" IS NULL OR "canUpdateFieldValue" = false),
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT "IDX_FIELD_PERMISSION_FIELD_METADATA_ID_ROLE_ID_UNIQUE" UNIQUE ("fieldMetadataId", "roleId")
);
CREATE INDEX "IDX_FIELD_PERMISSION_WORKSPACE" ON core."fieldPermission" ("workspaceId");
CREATE TABLE core."permissionFlag" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "roleId" uuid NOT NULL REFERENCES core."role" ("id") ON DELETE CASCADE,
    "flag" varchar NOT NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT "IDX_PERMISSION_FLAG_FLAG_ROLE_ID_UNIQUE" UNIQUE ("flag", "roleId")
);
CREATE INDEX "IDX_PERMISSION_FLAG_WORKSPACE" ON core."permissionFlag" ("workspaceId");
CREATE TABLE core."rowLevelPermissionPredicateGroup" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "roleId" uuid NOT NULL REFERENCES core."role" ("id") ON DELETE CASCADE,
    "objectMetadataId" uuid NOT NULL REFERENCES core."objectMetadata" ("id") ON DELETE CASCADE,
    "parentRowLevelPermissionPredicateGroupId" uuid REFERENCES core."rowLevelPermissionPredicateGroup" ("id") ON DELETE CASCADE,
    "logicalOperator" varchar NOT NULL DEFAULT 'AND' CHECK ("logicalOperator" IN ('AND', 'OR')),
    "positionInRowLevelPermissionPredicateGroup" double precision,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE INDEX "IDX_RLP_GROUP_ROLE" ON core."rowLevelPermissionPredicateGroup" ("workspaceId", "roleId");
CREATE TABLE core."rowLevelPermissionPredicate" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "roleId" uuid NOT NULL REFERENCES core."role" ("id") ON DELETE CASCADE,
    "objectMetadataId" uuid NOT NULL REFERENCES core."objectMetadata" ("id") ON DELETE CASCADE,
    "fieldMetadataId" uuid NOT NULL REFERENCES core."fieldMetadata" ("id") ON DELETE CASCADE,
    "operand" varchar NOT NULL,
    "value" jsonb,
    "subFieldName" varchar,
    "workspaceMemberFieldMetadataId" uuid REFERENCES core."fieldMetadata" ("id") ON DELETE CASCADE,
    "workspaceMemberSubFieldName" varchar,
    "rowLevelPermissionPredicateGroupId" uuid REFERENCES core."rowLevelPermissionPredicateGroup" ("id") ON DELETE CASCADE,
    "positionInRowLevelPermissionPredicateGroup" double precision,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE INDEX "IDX_RLP_PREDICATE_ROLE" ON core."rowLevelPermissionPredicate" ("workspaceId", "roleId");
-- The standard roles of a workspace, made in one place for workspace creation and the back-fill: Admin (every
-- permission, not editable) and Member (every record, no settings), Member becoming the default role. Returns Admin's id.
CREATE FUNCTION core."atrium_create_standard_roles"(target_workspace uuid) RETURNS uuid LANGUAGE sql AS $fn$
    WITH admin AS (
        INSERT INTO core."role" ("workspaceId", "label", "description", "icon", "isEditable",
            "canUpdateAllSettings", "canAccessAllTools", "canReadAllObjectRecords", "canUpdateAllObjectRecords",
            "canSoftDeleteAllObjectRecords", "canDestroyAllObjectRecords",
            "canBeAssignedToUsers", "canBeAssignedToAgents", "canBeAssignedToApiKeys")
        VALUES (target_workspace, 'Admin', 'Admin role', 'IconUserCog', false, true, true, true, true, true, true, true, true, true)
        RETURNING "id"
    ), member AS (
        INSERT INTO core."role" ("workspaceId", "label", "description", "icon", "isEditable",
            "canUpdateAllSettings", "canAccessAllTools", "canReadAllObjectRecords", "canUpdateAllObjectRecords",
            "canSoftDeleteAllObjectRecords", "canDestroyAllObjectRecords",
            "canBeAssignedToUsers", "canBeAssignedToAgents", "canBeAssignedToApiKeys")
        VALUES (target_workspace, 'Member', 'Member role', 'IconUser', true, false, false, true, true, true, true, true, false, false)
        RETURNING "id"
    ), defaulted AS (
        UPDATE core."workspace" SET "defaultRoleId" = (SELECT "id" FROM member) WHERE "id" = target_workspace RETURNING "id"
    )
    SELECT admin."id" FROM admin, defaulted
$fn$;
-- atrium:down
DROP FUNCTION core."atrium_create_standard_roles"(uuid);
DROP TABLE core."rowLevelPermissionPredicate";
DROP TABLE core."rowLevelPermissionPredicateGroup";
DROP TABLE core."permissionFlag";
DROP TABLE core."fieldPermission";
DROP TABLE core."objectPermission";
DROP TABLE core."roleTargets";
DROP TABLE core."role";
