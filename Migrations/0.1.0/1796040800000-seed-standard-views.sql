-- The views a workspace starts with, as Twenty seeds them, and the INDEX view ("All <plural>") of any object:
-- - core.atrium_index_view(object): the object's INDEX table view, unless it has one — its label identifier first
--   (210 wide), then each active field that is not a system field, a to-many relation, updatedAt, updatedBy or
--   deletedAt (150 wide). A custom object gets it when created.
-- - core.atrium_seed_standard_views(workspace): Twenty's standard views — All Companies, All People, All
--   Opportunities with their fields, sizes and aggregates; Opportunities "By Stage" (KANBAN on stage, SUM of amount,
--   one group per stage); All Tasks, Tasks "By Status" (KANBAN on status) and "Assigned to Me" (assignee IS me,
--   grouped by status); All Notes — then the INDEX view of every other non-system object. A new workspace gets them
--   when created; this migration gives them to the workspaces that exist. Fields a workspace lacks are skipped.
-- atrium:up
CREATE OR REPLACE FUNCTION core.atrium_index_view(object_id uuid) RETURNS uuid LANGUAGE plpgsql AS $fn$
DECLARE
    o core."objectMetadata";
    label_field uuid;
    created uuid;
BEGIN
    SELECT * INTO o FROM core."objectMetadata" WHERE "id" = object_id;
    IF NOT FOUND OR EXISTS (SELECT 1 FROM core."view" WHERE "objectMetadataId" = object_id AND "key" = 'INDEX' AND "deletedAt" IS NULL) THEN
        RETURN NULL;
    END IF;
    label_field := COALESCE(o."labelIdentifierFieldMetadataId",
        (SELECT f."id" FROM core."fieldMetadata" f WHERE f."objectMetadataId" = object_id AND f."name" IN ('name', 'title') ORDER BY f."name" LIMIT 1));
    INSERT INTO core."view" ("workspaceId", "objectMetadataId", "name", "type", "key", "position", "icon")
    VALUES (o."workspaceId", o."id", 'All ' || o."labelPlural", 'TABLE', 'INDEX', 0, 'IconList') RETURNING "id" INTO created;
    INSERT INTO core."viewField" ("workspaceId", "viewId", "fieldMetadataId", "position", "size")
    SELECT o."workspaceId", created, f."id", row_number() OVER (ORDER BY f."id" IS DISTINCT FROM label_field, f."createdAt", f."name") - 1,
           CASE WHEN f."id" = label_field THEN 210 ELSE 150 END
    FROM core."fieldMetadata" f
    WHERE f."objectMetadataId" = object_id AND f."isActive" AND NOT f."isSystem"
        AND f."type" NOT IN ('TS_VECTOR', 'POSITION') AND f."name" NOT IN ('updatedAt', 'updatedBy', 'deletedAt')
        AND NOT (f."type" = 'RELATION' AND f."settings" ->> 'relationType' = 'ONE_TO_MANY');
    RETURN created;
END
$fn$;

CREATE OR REPLACE FUNCTION core.atrium_seed_standard_views(workspace_id uuid) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
    written bigint;
BEGIN
    WITH spec("object", "name", "type", "key", "position", "icon", "aggregate", "aggregateField", "groupBy") AS (VALUES
        ('company', 'All Companies', 'TABLE', 'INDEX', 0, 'IconList', NULL, NULL, NULL),
        ('person', 'All People', 'TABLE', 'INDEX', 0, 'IconList', NULL, NULL, NULL),
        ('opportunity', 'All Opportunities', 'TABLE', 'INDEX', 0, 'IconList', NULL, NULL, NULL),
        ('opportunity', 'By Stage', 'KANBAN', NULL, 2, 'IconLayoutKanban', 'SUM', 'amount', 'stage'),
        ('task', 'All Tasks', 'TABLE', 'INDEX', 0, 'IconList', NULL, NULL, NULL),
        ('task', 'By Status', 'KANBAN', NULL, 1, 'IconLayoutKanban', NULL, NULL, 'status'),
        ('task', 'Assigned to Me', 'TABLE', NULL, 2, 'IconUserCircle', NULL, NULL, 'status'),
        ('note', 'All Notes', 'TABLE', 'INDEX', 0, 'IconList', NULL, NULL, NULL)
    ), objects AS (
        SELECT o."id", o."nameSingular" FROM core."objectMetadata" o WHERE o."workspaceId" = workspace_id
    ), views AS (
        INSERT INTO core."view" ("workspaceId", "objectMetadataId", "name", "type", "key", "position", "icon",
            "kanbanAggregateOperation", "kanbanAggregateOperationFieldMetadataId", "mainGroupByFieldMetadataId")
        SELECT workspace_id, o."id", s."name", s."type", s."key", s."position", s."icon", s."aggregate", af."id", gf."id"
        FROM spec s JOIN objects o ON o."nameSingular" = s."object"
        LEFT JOIN core."fieldMetadata" af ON af."objectMetadataId" = o."id" AND af."name" = s."aggregateField"
        LEFT JOIN core."fieldMetadata" gf ON gf."objectMetadataId" = o."id" AND gf."name" = s."groupBy"
        WHERE NOT EXISTS (SELECT 1 FROM core."view" v WHERE v."objectMetadataId" = o."id" AND v."deletedAt" IS NULL)
        RETURNING "id", "objectMetadataId", "name", "mainGroupByFieldMetadataId"
    ), field_spec("object", "view", "field", "position", "size", "aggregate") AS (VALUES
        ('company', 'All Companies', 'name', 0, 180, NULL), ('company', 'All Companies', 'domainName', 1, 100, 'COUNT'),
        ('company', 'All Companies', 'createdBy', 2, 150, NULL), ('company', 'All Companies', 'accountOwner', 3, 150, NULL),
        ('company', 'All Companies', 'createdAt', 4, 150, NULL), ('company', 'All Companies', 'employees', 5, 150, 'MAX'),
        ('company', 'All Companies', 'linkedinLink', 6, 170, 'PERCENTAGE_EMPTY'), ('company', 'All Companies', 'address', 7, 170, 'COUNT_NOT_EMPTY'),
        ('person', 'All People', 'name', 0, 210, NULL), ('person', 'All People', 'emails', 1, 150, 'COUNT_UNIQUE_VALUES'),
        ('person', 'All People', 'createdBy', 2, 150, NULL), ('person', 'All People', 'company', 3, 150, NULL),
        ('person', 'All People', 'phones', 4, 150, 'PERCENTAGE_EMPTY'), ('person', 'All People', 'createdAt', 5, 150, 'MIN'),
        ('person', 'All People', 'city', 6, 150, NULL), ('person', 'All People', 'jobTitle', 7, 150, NULL),
        ('person', 'All People', 'linkedinLink', 8, 150, NULL), ('person', 'All People', 'xLink', 9, 150, NULL),
        ('opportunity', 'All Opportunities', 'name', 0, 150, NULL), ('opportunity', 'All Opportunities', 'amount', 1, 150, 'AVG'),
        ('opportunity', 'All Opportunities', 'createdBy', 2, 150, NULL), ('opportunity', 'All Opportunities', 'closeDate', 3, 150, 'MIN'),
        ('opportunity', 'All Opportunities', 'company', 4, 150, NULL), ('opportunity', 'All Opportunities', 'pointOfContact', 5, 150, NULL),
        ('opportunity', 'By Stage', 'name', 0, 150, NULL), ('opportunity', 'By Stage', 'amount', 1, 150, NULL),
        ('opportunity', 'By Stage', 'createdBy', 2, 150, NULL), ('opportunity', 'By Stage', 'closeDate', 3, 150, NULL),
        ('opportunity', 'By Stage', 'company', 4, 150, NULL), ('opportunity', 'By Stage', 'pointOfContact', 5, 150, NULL),
        ('task', 'All Tasks', 'title', 0, 210, NULL), ('task', 'All Tasks', 'status', 2, 150, NULL),
        ('task', 'All Tasks', 'taskTargets', 3, 150, NULL), ('task', 'All Tasks', 'createdBy', 4, 150, NULL),
        ('task', 'All Tasks', 'dueAt', 5, 150, NULL), ('task', 'All Tasks', 'assignee', 6, 150, NULL),
        ('task', 'All Tasks', 'bodyV2', 7, 150, NULL), ('task', 'All Tasks', 'createdAt', 8, 150, NULL),
        ('task', 'By Status', 'title', 0, 210, NULL), ('task', 'By Status', 'status', 2, 150, NULL),
        ('task', 'By Status', 'dueAt', 3, 150, NULL), ('task', 'By Status', 'assignee', 4, 150, NULL),
        ('task', 'By Status', 'createdAt', 6, 150, NULL),
        ('task', 'Assigned to Me', 'title', 0, 210, NULL), ('task', 'Assigned to Me', 'taskTargets', 3, 150, NULL),
        ('task', 'Assigned to Me', 'createdBy', 4, 150, NULL), ('task', 'Assigned to Me', 'dueAt', 5, 150, NULL),
        ('task', 'Assigned to Me', 'assignee', 6, 150, NULL), ('task', 'Assigned to Me', 'bodyV2', 7, 150, NULL),
        ('task', 'Assigned to Me', 'createdAt', 8, 150, NULL),
        ('note', 'All Notes', 'title', 0, 210, NULL), ('note', 'All Notes', 'noteTargets', 1, 150, NULL),
        ('note', 'All Notes', 'bodyV2', 2, 150, NULL), ('note', 'All Notes', 'createdBy', 3, 150, NULL),
        ('note', 'All Notes', 'createdAt', 4, 150, NULL)
    ), fields AS (
        INSERT INTO core."viewField" ("workspaceId", "viewId", "fieldMetadataId", "position", "size", "aggregateOperation")
        SELECT workspace_id, v."id", f."id", x."position", x."size", x."aggregate"
        FROM field_spec x JOIN objects o ON o."nameSingular" = x."object"
        JOIN views v ON v."objectMetadataId" = o."id" AND v."name" = x."view"
        JOIN core."fieldMetadata" f ON f."objectMetadataId" = o."id" AND f."name" = x."field"
        RETURNING 1
    ), group_spec("object", "view", "value", "position") AS (VALUES
        ('opportunity', 'By Stage', 'NEW', 0), ('opportunity', 'By Stage', 'SCREENING', 1), ('opportunity', 'By Stage', 'MEETING', 2),
        ('opportunity', 'By Stage', 'PROPOSAL', 3), ('opportunity', 'By Stage', 'CUSTOMER', 4),
        ('task', 'By Status', 'TODO', 0), ('task', 'By Status', 'IN_PROGRESS', 1), ('task', 'By Status', 'DONE', 2),
        ('task', 'Assigned to Me', 'TODO', 0), ('task', 'Assigned to Me', 'IN_PROGRESS', 1), ('task', 'Assigned to Me', 'DONE', 2),
        ('task', 'Assigned to Me', '', 3)
    ), groups AS (
        INSERT INTO core."viewGroup" ("workspaceId", "viewId", "fieldMetadataId", "fieldValue", "position")
        SELECT workspace_id, v."id", v."mainGroupByFieldMetadataId", g."value", g."position"
        FROM group_spec g JOIN objects o ON o."nameSingular" = g."object"
        JOIN views v ON v."objectMetadataId" = o."id" AND v."name" = g."view"
        RETURNING 1
    ), filters AS (
        INSERT INTO core."viewFilter" ("workspaceId", "viewId", "fieldMetadataId", "operand", "value")
        SELECT workspace_id, v."id", f."id", 'IS', to_jsonb('{"isCurrentWorkspaceMemberSelected":true,"selectedRecordIds":[]}'::text)
        FROM views v JOIN objects o ON o."id" = v."objectMetadataId" AND o."nameSingular" = 'task'
        JOIN core."fieldMetadata" f ON f."objectMetadataId" = o."id" AND f."name" = 'assignee'
        WHERE v."name" = 'Assigned to Me'
        RETURNING 1
    )
    SELECT count(*) INTO written FROM (SELECT 1 FROM fields UNION ALL SELECT 1 FROM groups UNION ALL SELECT 1 FROM filters) AS written;
    PERFORM core.atrium_index_view(o."id") FROM core."objectMetadata" o
    WHERE o."workspaceId" = workspace_id AND o."isActive" AND NOT o."isSystem";
END
$fn$;

SELECT core.atrium_seed_standard_views(w."id") FROM core."workspace" w
WHERE NOT EXISTS (SELECT 1 FROM core."view" v WHERE v."workspaceId" = w."id");
-- atrium:down
DROP FUNCTION IF EXISTS core.atrium_seed_standard_views(uuid);
DROP FUNCTION IF EXISTS core.atrium_index_view(uuid);
