-- Saved views (Twenty's core."view" and its children, 1.x shape with the newer kanban columns): how a workspace shows
-- an object's records — a table or a kanban, its visible fields with their sizes and aggregates, its filters (nested
-- AND/OR/NOT groups), sorts and kanban groups. Every row belongs to a workspace; a view belongs to an object and its
-- children to the view, and a deleted object, field or view takes its rows with it (ON DELETE CASCADE). Enumerated
-- columns are text with CHECK constraints (Twenty's enum values). Soft deletion sets "deletedAt".
-- atrium:up
CREATE TABLE core."view" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "objectMetadataId" uuid NOT NULL REFERENCES core."objectMetadata" ("id") ON DELETE CASCADE,
    "name" text NOT NULL DEFAULT '',
    "type" text NOT NULL DEFAULT 'TABLE' CHECK ("type" IN ('TABLE', 'KANBAN', 'CALENDAR')),
    "key" text CHECK ("key" IN ('INDEX')),
    "icon" text NOT NULL DEFAULT 'IconList',
    "position" double precision NOT NULL DEFAULT 0,
    "isCompact" boolean NOT NULL DEFAULT false,
    "isCustom" boolean NOT NULL DEFAULT false,
    "openRecordIn" text NOT NULL DEFAULT 'SIDE_PANEL' CHECK ("openRecordIn" IN ('SIDE_PANEL', 'RECORD_PAGE')),
    "kanbanAggregateOperation" text CHECK ("kanbanAggregateOperation" IN ('MIN', 'MAX', 'AVG', 'SUM', 'COUNT',
        'COUNT_UNIQUE_VALUES', 'COUNT_EMPTY', 'COUNT_NOT_EMPTY', 'COUNT_TRUE', 'COUNT_FALSE', 'PERCENTAGE_EMPTY',
        'PERCENTAGE_NOT_EMPTY')),
    "kanbanAggregateOperationFieldMetadataId" uuid REFERENCES core."fieldMetadata" ("id") ON DELETE CASCADE,
    "calendarLayout" text CHECK ("calendarLayout" IN ('DAY', 'WEEK', 'MONTH')),
    "calendarFieldMetadataId" uuid REFERENCES core."fieldMetadata" ("id") ON DELETE CASCADE,
    "mainGroupByFieldMetadataId" uuid REFERENCES core."fieldMetadata" ("id") ON DELETE CASCADE,
    "shouldHideEmptyGroups" boolean NOT NULL DEFAULT false,
    "kanbanColumnWidth" int CHECK ("kanbanColumnWidth" BETWEEN 150 AND 400),
    "groupLoadLimit" int NOT NULL DEFAULT 8 CHECK ("groupLoadLimit" BETWEEN 1 AND 200),
    "anyFieldFilterValue" text,
    "visibility" text NOT NULL DEFAULT 'WORKSPACE' CHECK ("visibility" IN ('WORKSPACE', 'UNLISTED', 'USER')),
    "createdByUserWorkspaceId" uuid REFERENCES core."userWorkspace" ("id") ON DELETE SET NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz,
    CONSTRAINT "CHK_VIEW_CALENDAR_INTEGRITY" CHECK ("type" <> 'CALENDAR' OR ("calendarLayout" IS NOT NULL AND "calendarFieldMetadataId" IS NOT NULL))
);
CREATE INDEX "IDX_VIEW_OBJECT_METADATA_ID_WORKSPACE_ID" ON core."view" ("objectMetadataId", "workspaceId");
CREATE INDEX "IDX_VIEW_WORKSPACE_ID" ON core."view" ("workspaceId");
-- Deleting a field finds the views that use it (the foreign keys' cascades) through these.
CREATE INDEX "IDX_VIEW_KANBAN_FIELD_METADATA" ON core."view" ("kanbanAggregateOperationFieldMetadataId") WHERE "kanbanAggregateOperationFieldMetadataId" IS NOT NULL;
CREATE INDEX "IDX_VIEW_CALENDAR_FIELD_METADATA" ON core."view" ("calendarFieldMetadataId") WHERE "calendarFieldMetadataId" IS NOT NULL;
CREATE INDEX "IDX_VIEW_MAIN_GROUP_BY_FIELD_METADATA" ON core."view" ("mainGroupByFieldMetadataId") WHERE "mainGroupByFieldMetadataId" IS NOT NULL;
CREATE INDEX "IDX_VIEW_CREATED_BY_USER_WORKSPACE" ON core."view" ("createdByUserWorkspaceId") WHERE "createdByUserWorkspaceId" IS NOT NULL;

CREATE TABLE core."viewField" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "viewId" uuid NOT NULL REFERENCES core."view" ("id") ON DELETE CASCADE,
    "fieldMetadataId" uuid NOT NULL REFERENCES core."fieldMetadata" ("id") ON DELETE CASCADE,
    "isVisible" boolean NOT NULL DEFAULT true,
    "size" int NOT NULL DEFAULT 0,
    "position" double precision NOT NULL DEFAULT 0,
    "aggregateOperation" text CHECK ("aggregateOperation" IN ('MIN', 'MAX', 'AVG', 'SUM', 'COUNT', 'COUNT_UNIQUE_VALUES',
        'COUNT_EMPTY', 'COUNT_NOT_EMPTY', 'COUNT_TRUE', 'COUNT_FALSE', 'PERCENTAGE_EMPTY', 'PERCENTAGE_NOT_EMPTY')),
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE UNIQUE INDEX "IDX_VIEW_FIELD_FIELD_METADATA_ID_VIEW_ID_UNIQUE" ON core."viewField" ("fieldMetadataId", "viewId") WHERE "deletedAt" IS NULL;
CREATE INDEX "IDX_VIEW_FIELD_VIEW_ID" ON core."viewField" ("viewId");
CREATE INDEX "IDX_VIEW_FIELD_FIELD_METADATA_ID" ON core."viewField" ("fieldMetadataId");

CREATE TABLE core."viewFilterGroup" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "viewId" uuid NOT NULL REFERENCES core."view" ("id") ON DELETE CASCADE,
    "parentViewFilterGroupId" uuid REFERENCES core."viewFilterGroup" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    "logicalOperator" text NOT NULL DEFAULT 'AND' CHECK ("logicalOperator" IN ('AND', 'OR', 'NOT')),
    "positionInViewFilterGroup" double precision,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE INDEX "IDX_VIEW_FILTER_GROUP_VIEW_ID" ON core."viewFilterGroup" ("viewId");
CREATE INDEX "IDX_VIEW_FILTER_GROUP_PARENT_ID" ON core."viewFilterGroup" ("parentViewFilterGroupId");

CREATE TABLE core."viewFilter" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "viewId" uuid NOT NULL REFERENCES core."view" ("id") ON DELETE CASCADE,
    "fieldMetadataId" uuid NOT NULL REFERENCES core."fieldMetadata" ("id") ON DELETE CASCADE,
    "operand" text NOT NULL DEFAULT 'CONTAINS' CHECK ("operand" IN ('IS', 'IS_NOT_NULL', 'IS_NOT', 'LESS_THAN_OR_EQUAL',
        'GREATER_THAN_OR_EQUAL', 'IS_BEFORE', 'IS_AFTER', 'CONTAINS', 'DOES_NOT_CONTAIN', 'IS_EMPTY', 'IS_NOT_EMPTY',
        'IS_RELATIVE', 'IS_IN_PAST', 'IS_IN_FUTURE', 'IS_TODAY')),
    "value" jsonb NOT NULL,
    "viewFilterGroupId" uuid REFERENCES core."viewFilterGroup" ("id") ON DELETE CASCADE,
    "positionInViewFilterGroup" double precision,
    "subFieldName" text,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE INDEX "IDX_VIEW_FILTER_VIEW_ID" ON core."viewFilter" ("viewId");
CREATE INDEX "IDX_VIEW_FILTER_FIELD_METADATA_ID" ON core."viewFilter" ("fieldMetadataId");

CREATE TABLE core."viewSort" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "viewId" uuid NOT NULL REFERENCES core."view" ("id") ON DELETE CASCADE,
    "fieldMetadataId" uuid NOT NULL REFERENCES core."fieldMetadata" ("id") ON DELETE CASCADE,
    "direction" text NOT NULL DEFAULT 'ASC' CHECK ("direction" IN ('ASC', 'DESC')),
    "subFieldName" text,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE UNIQUE INDEX "IDX_VIEW_SORT_FIELD_METADATA_ID_VIEW_ID_UNIQUE" ON core."viewSort" ("fieldMetadataId", "viewId") WHERE "deletedAt" IS NULL;
CREATE INDEX "IDX_VIEW_SORT_VIEW_ID" ON core."viewSort" ("viewId");

CREATE TABLE core."viewGroup" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "viewId" uuid NOT NULL REFERENCES core."view" ("id") ON DELETE CASCADE,
    "fieldMetadataId" uuid REFERENCES core."fieldMetadata" ("id") ON DELETE CASCADE,
    "isVisible" boolean NOT NULL DEFAULT true,
    "fieldValue" text NOT NULL,
    "position" double precision NOT NULL DEFAULT 0,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE INDEX "IDX_VIEW_GROUP_VIEW_ID" ON core."viewGroup" ("viewId");
CREATE INDEX "IDX_VIEW_GROUP_FIELD_METADATA_ID" ON core."viewGroup" ("fieldMetadataId") WHERE "fieldMetadataId" IS NOT NULL;
-- atrium:down
DROP TABLE IF EXISTS core."viewGroup";
DROP TABLE IF EXISTS core."viewSort";
DROP TABLE IF EXISTS core."viewFilter";
DROP TABLE IF EXISTS core."viewFilterGroup";
DROP TABLE IF EXISTS core."viewField";
DROP TABLE IF EXISTS core."view";
