-- Workspace metadata: objects and fields describe each workspace's tables and drive both APIs (CONTRACT.md §1.2).
-- fieldMetadata keeps one foreign key (to its object, which cascades from the workspace): per-row checks of more
-- keys would dominate workspace creation, and the metadata service keeps relation targets consistent itself.
-- atrium:up
CREATE TABLE core."objectMetadata" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "standardId" uuid,
    "dataSourceId" uuid,
    "nameSingular" varchar NOT NULL,
    "namePlural" varchar NOT NULL,
    "labelSingular" varchar NOT NULL,
    "labelPlural" varchar NOT NULL,
    "description" text,
    "icon" varchar,
    "standardOverrides" jsonb,
    "targetTableName" varchar NOT NULL,
    "isCustom" boolean NOT NULL DEFAULT false,
    "isRemote" boolean NOT NULL DEFAULT false,
    "isActive" boolean NOT NULL DEFAULT true,
    "isSystem" boolean NOT NULL DEFAULT false,
    "isAuditLogged" boolean NOT NULL DEFAULT true,
    "isSearchable" boolean NOT NULL DEFAULT false,
    "duplicateCriteria" jsonb,
    "shortcut" varchar,
    "labelIdentifierFieldMetadataId" uuid,
    "imageIdentifierFieldMetadataId" uuid,
    "isLabelSyncedWithName" boolean NOT NULL DEFAULT false,
    "workspaceId" uuid NOT NULL REFERENCES core."workspace" ("id") ON DELETE CASCADE,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT "IDX_OBJECT_METADATA_NAME_SINGULAR_UNIQUE" UNIQUE ("nameSingular", "workspaceId"),
    CONSTRAINT "IDX_OBJECT_METADATA_NAME_PLURAL_UNIQUE" UNIQUE ("namePlural", "workspaceId")
);
CREATE INDEX "IDX_OBJECT_METADATA_WORKSPACE" ON core."objectMetadata" ("workspaceId");
CREATE TABLE core."fieldMetadata" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "standardId" uuid,
    "objectMetadataId" uuid NOT NULL REFERENCES core."objectMetadata" ("id") ON DELETE CASCADE,
    "type" varchar NOT NULL,
    "name" varchar NOT NULL,
    "label" varchar NOT NULL,
    "defaultValue" jsonb,
    "description" text,
    "icon" varchar,
    "standardOverrides" jsonb,
    "options" jsonb,
    "settings" jsonb,
    "isCustom" boolean NOT NULL DEFAULT false,
    "isActive" boolean NOT NULL DEFAULT true,
    "isSystem" boolean NOT NULL DEFAULT false,
    "isUIReadOnly" boolean NOT NULL DEFAULT false,
    "isNullable" boolean NOT NULL DEFAULT true,
    "isUnique" boolean NOT NULL DEFAULT false,
    "isLabelSyncedWithName" boolean NOT NULL DEFAULT false,
    "relationTargetFieldMetadataId" uuid,
    "relationTargetObjectMetadataId" uuid,
    "morphId" uuid,
    "workspaceId" uuid NOT NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT "IDX_FIELD_METADATA_NAME_OBJECT_UNIQUE" UNIQUE ("name", "objectMetadataId", "workspaceId")
);
CREATE INDEX "IDX_FIELD_METADATA_WORKSPACE" ON core."fieldMetadata" ("workspaceId");
CREATE INDEX "IDX_FIELD_METADATA_OBJECT" ON core."fieldMetadata" ("objectMetadataId");
-- atrium:down
DROP TABLE core."fieldMetadata";
DROP TABLE core."objectMetadata";
