-- Gives workspaces created before roles existed their standard roles (core."atrium_create_standard_roles"), then a
-- role to every member and API key that has none: Admin to each workspace's first member (the one who created it)
-- and to every API key (as keys had full access before), the default role (Member) to the other members.
-- Idempotent: a workspace that has roles, and a target that has one, are left alone. Set-based statements, so a fast
-- command even with many workspaces. Only the workspaces it changed get their metadata version bumped (so their cached
-- snapshots and permissions reload): a second run bumps nothing.
-- atrium:up
CREATE TEMP TABLE IF NOT EXISTS "atrium_backfilled_workspace" ("id" uuid NOT NULL);
TRUNCATE "atrium_backfilled_workspace";
INSERT INTO "atrium_backfilled_workspace" ("id")
SELECT w."id" FROM core."workspace" w
WHERE NOT EXISTS (SELECT 1 FROM core."role" r WHERE r."workspaceId" = w."id");
SELECT core."atrium_create_standard_roles"(b."id") FROM "atrium_backfilled_workspace" b;
WITH added AS (
    INSERT INTO core."roleTargets" ("workspaceId", "roleId", "userWorkspaceId")
    SELECT uw."workspaceId",
           CASE WHEN uw."id" = first."id" THEN admin."id" ELSE w."defaultRoleId" END,
           uw."id"
    FROM core."userWorkspace" uw
    JOIN core."workspace" w ON w."id" = uw."workspaceId"
    JOIN core."role" admin ON admin."workspaceId" = uw."workspaceId" AND admin."label" = 'Admin' AND NOT admin."isEditable"
    JOIN LATERAL (
        SELECT f."id" FROM core."userWorkspace" f WHERE f."workspaceId" = uw."workspaceId" ORDER BY f."createdAt", f."id" LIMIT 1
    ) first ON true
    WHERE NOT EXISTS (SELECT 1 FROM core."roleTargets" t WHERE t."userWorkspaceId" = uw."id")
    RETURNING "workspaceId"
)
INSERT INTO "atrium_backfilled_workspace" ("id") SELECT "workspaceId" FROM added;
WITH added AS (
    INSERT INTO core."roleTargets" ("workspaceId", "roleId", "apiKeyId")
    SELECT k."workspaceId", admin."id", k."id"
    FROM core."apiKey" k
    JOIN core."role" admin ON admin."workspaceId" = k."workspaceId" AND admin."label" = 'Admin' AND NOT admin."isEditable"
    WHERE NOT EXISTS (SELECT 1 FROM core."roleTargets" t WHERE t."apiKeyId" = k."id")
    RETURNING "workspaceId"
)
INSERT INTO "atrium_backfilled_workspace" ("id") SELECT "workspaceId" FROM added;
UPDATE core."workspace" SET "metadataVersion" = "metadataVersion" + 1
WHERE "id" IN (SELECT "id" FROM "atrium_backfilled_workspace");
DROP TABLE "atrium_backfilled_workspace";
-- atrium:down
SELECT 1;
