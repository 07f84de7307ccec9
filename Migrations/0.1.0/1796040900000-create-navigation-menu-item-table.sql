-- The sidebar (Twenty's core."navigationMenuItem", which replaced the favorite and favoriteFolder records): an item
-- is a view, a record (its id and object), a link or a folder (a name, holding items), workspace-wide
-- ("userWorkspaceId" NULL) or a member's own. It goes with its workspace, member, object, view or folder; the worker
-- removes the items of records deleted since.
-- atrium:up
CREATE TABLE core."navigationMenuItem" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "userWorkspaceId" uuid REFERENCES core."userWorkspace" ("id") ON DELETE CASCADE,
    "targetRecordId" uuid,
    "targetObjectMetadataId" uuid REFERENCES core."objectMetadata" ("id") ON DELETE CASCADE,
    "viewId" uuid REFERENCES core."view" ("id") ON DELETE CASCADE,
    "name" text,
    "link" text,
    "icon" text,
    "folderId" uuid REFERENCES core."navigationMenuItem" ("id") ON DELETE CASCADE,
    "position" double precision NOT NULL DEFAULT 0,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz,
    CONSTRAINT "CHK_NAVIGATION_MENU_ITEM_TARGET" CHECK (("targetRecordId" IS NULL) = ("targetObjectMetadataId" IS NULL))
);
CREATE INDEX "IDX_NAVIGATION_MENU_ITEM_WORKSPACE" ON core."navigationMenuItem" ("workspaceId", "userWorkspaceId");
CREATE INDEX "IDX_NAVIGATION_MENU_ITEM_TARGET_RECORD" ON core."navigationMenuItem" ("targetRecordId") WHERE "targetRecordId" IS NOT NULL;
CREATE INDEX "IDX_NAVIGATION_MENU_ITEM_VIEW" ON core."navigationMenuItem" ("viewId") WHERE "viewId" IS NOT NULL;
CREATE INDEX "IDX_NAVIGATION_MENU_ITEM_FOLDER" ON core."navigationMenuItem" ("folderId") WHERE "folderId" IS NOT NULL;
CREATE INDEX "IDX_NAVIGATION_MENU_ITEM_USER_WORKSPACE" ON core."navigationMenuItem" ("userWorkspaceId") WHERE "userWorkspaceId" IS NOT NULL;
CREATE INDEX "IDX_NAVIGATION_MENU_ITEM_OBJECT" ON core."navigationMenuItem" ("targetObjectMetadataId") WHERE "targetObjectMetadataId" IS NOT NULL;
-- atrium:down
DROP TABLE IF EXISTS core."navigationMenuItem";
