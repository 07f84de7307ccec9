import Foundation
import Logging
import PostgresNIO

extension MetadataRows {
    /// Inserts every row for `workspace` with two statements (objects, then fields), on the caller's transaction.
    func insert(workspace: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        let (objectsJSON, fieldsJSON) = try encoded()
        try await connection.query("""
            INSERT INTO core."objectMetadata" (
                "id", "nameSingular", "namePlural", "labelSingular", "labelPlural", "description", "icon", "targetTableName",
                "isCustom", "isSystem", "isAuditLogged", "isSearchable", "duplicateCriteria",
                "labelIdentifierFieldMetadataId", "imageIdentifierFieldMetadataId", "workspaceId")
            SELECT r."id", r."nameSingular", r."namePlural", r."labelSingular", r."labelPlural", r."description", r."icon",
                r."targetTableName", r."isCustom", r."isSystem", r."isAuditLogged", r."isSearchable", r."duplicateCriteria",
                r."labelIdentifierFieldMetadataId", r."imageIdentifierFieldMetadataId", \(workspace)
            FROM jsonb_to_recordset(\(objectsJSON)::jsonb) AS r(
                "id" uuid, "nameSingular" varchar, "namePlural" varchar, "labelSingular" varchar, "labelPlural" varchar,
                "description" text, "icon" varchar, "targetTableName" varchar, "isCustom" boolean, "isSystem" boolean,
                "isAuditLogged" boolean, "isSearchable" boolean, "duplicateCriteria" jsonb,
                "labelIdentifierFieldMetadataId" uuid, "imageIdentifierFieldMetadataId" uuid)
            """, logger: logger)
        try await connection.query("""
            INSERT INTO core."fieldMetadata" (
                "id", "objectMetadataId", "type", "name", "label", "defaultValue", "description", "icon", "options", "settings",
                "isCustom", "isSystem", "isUIReadOnly", "isNullable", "isUnique",
                "relationTargetFieldMetadataId", "relationTargetObjectMetadataId", "workspaceId")
            SELECT r."id", r."objectMetadataId", r."type", r."name", r."label", r."defaultValue", r."description", r."icon",
                r."options", r."settings", r."isCustom", r."isSystem", r."isUIReadOnly", r."isNullable", r."isUnique",
                r."relationTargetFieldMetadataId", r."relationTargetObjectMetadataId", \(workspace)
            FROM jsonb_to_recordset(\(fieldsJSON)::jsonb) AS r(
                "id" uuid, "objectMetadataId" uuid, "type" varchar, "name" varchar, "label" varchar, "defaultValue" jsonb,
                "description" text, "icon" varchar, "options" jsonb, "settings" jsonb, "isCustom" boolean, "isSystem" boolean,
                "isUIReadOnly" boolean, "isNullable" boolean, "isUnique" boolean,
                "relationTargetFieldMetadataId" uuid, "relationTargetObjectMetadataId" uuid)
            """, logger: logger)
    }
}
