-- Twenty's rule that a workspace past creation has a default role (the role new members get): the CHECK constraint
-- "onboarded_workspace_requires_default_role". Workspaces are created ONGOING_CREATION and become ACTIVE once their
-- standard roles exist. Older workspaces got their roles and a default role from the back-fill
-- (1795870200000-backfill-standard-roles); one that still lacks a default role gets its standard Member role when it
-- has one (its metadata version bumped), and the constraint is validated only when every row satisfies it (otherwise
-- it holds for every row written from now on). Idempotent; a fast command (the workspace table is small).
-- atrium:up
UPDATE core."workspace" w SET "defaultRoleId" = r."id", "metadataVersion" = w."metadataVersion" + 1
FROM core."role" r
WHERE w."defaultRoleId" IS NULL AND w."activationStatus" NOT IN ('PENDING_CREATION', 'ONGOING_CREATION')
  AND r."workspaceId" = w."id" AND r."label" = 'Member' AND r."isEditable";
DO $check$ BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint
        WHERE conname = 'onboarded_workspace_requires_default_role' AND conrelid = 'core."workspace"'::regclass
    ) THEN
        ALTER TABLE core."workspace" ADD CONSTRAINT "onboarded_workspace_requires_default_role"
            CHECK ("activationStatus" IN ('PENDING_CREATION', 'ONGOING_CREATION') OR "defaultRoleId" IS NOT NULL) NOT VALID;
    END IF;
    IF EXISTS (
        SELECT 1 FROM pg_constraint
        WHERE conname = 'onboarded_workspace_requires_default_role' AND conrelid = 'core."workspace"'::regclass AND NOT convalidated
    ) AND NOT EXISTS (
        SELECT 1 FROM core."workspace"
        WHERE "activationStatus" NOT IN ('PENDING_CREATION', 'ONGOING_CREATION') AND "defaultRoleId" IS NULL
    ) THEN
        ALTER TABLE core."workspace" VALIDATE CONSTRAINT "onboarded_workspace_requires_default_role";
    END IF;
END $check$;
-- atrium:down
ALTER TABLE core."workspace" DROP CONSTRAINT IF EXISTS "onboarded_workspace_requires_default_role";
