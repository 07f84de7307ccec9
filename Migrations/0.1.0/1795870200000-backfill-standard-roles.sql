-- Gives workspaces created before roles existed their standard roles (core."atrium_create_standard_roles"), then a
-- role to every member and API key that has none: Admin to each workspace's first member (the one who created it)
-- and to every API key (as keys had full access before), the default role (Member) to the other members.
-- Idempotent: a workspace that has roles, and a target that has one, are left alone. Set-based statements, so a fast
-- command even with many workspaces; their metadata version is bumped so cached snapshots and permissions reload.
-- atrium:up
SELECT core."atrium_create_standard_roles"(w."id")
FROM core."workspace" w
WHERE NOT EXISTS (SELECT 1 FROM core."role" r WHERE r."workspaceId" = w."id");
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
WHERE NOT EXISTS (SELECT 1 FROM core."roleTargets" t WHERE t."userWorkspaceId" = uw."id");
INSERT INTO core."roleTargets" ("workspaceId", "roleId", "apiKeyId")
SELECT k."workspaceId", admin."id", k."id"
FROM core."apiKey" k
JOIN core."role" admin ON admin."workspaceId" = k."workspaceId" AND admin."label" = 'Admin' AND NOT admin."isEditable"
WHERE NOT EXISTS (SELECT 1 FROM core."roleTargets" t WHERE t."apiKeyId" = k."id");
UPDATE core."workspace" SET "metadataVersion" = "metadataVersion" + 1
WHERE "id" IN (SELECT "workspaceId" FROM core."role");
-- atrium:down
SELECT 1;
