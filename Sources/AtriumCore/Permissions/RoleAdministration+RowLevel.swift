import Foundation
import Logging
import PostgresNIO

extension RoleAdministration {
    /// Replaces the row-level predicates and groups of `roleID` on `objectID` (Twenty's
    /// `upsertRowLevelPermissionPredicates`): groups first (their parents among `groups`), then predicates.
    /// Empty lists remove the role's row-level rule on the object.
    /// - Throws: `not_found` for a role, object or field outside the workspace; `validation_failed` for an unknown
    ///   operand, a field of another object, or a group reference that is not among `groups`.
    public func replaceRowLevelPredicates(
        _ workspace: UUID, roleID: UUID, objectID: UUID, predicates: [RowLevelPredicateInput], groups: [RowLevelPredicateGroupInput],
        logger: Logger
    ) async throws -> (predicates: [RowLevelPredicateRow], groups: [RowLevelPredicateGroupRow]) {
        try await requireEditable(roleID, workspace, logger: logger)
        let groupRows = groups.map { group in
            RowLevelPredicateGroupRow(id: group.id ?? UUID(), roleId: roleID, objectMetadataId: objectID,
                                      parentRowLevelPermissionPredicateGroupId: group.parentRowLevelPermissionPredicateGroupId,
                                      logicalOperator: (group.logicalOperator ?? "AND").uppercased(),
                                      positionInRowLevelPermissionPredicateGroup: group.positionInRowLevelPermissionPredicateGroup)
        }
        let groupIDs = Set(groupRows.map(\.id))
        for group in groupRows {
            guard ["AND", "OR"].contains(group.logicalOperator) else {
                throw AtriumError(.validationFailed, "A predicate group's logicalOperator is AND or OR (got \(group.logicalOperator))")
            }
            if let parent = group.parentRowLevelPermissionPredicateGroupId, !groupIDs.contains(parent) || parent == group.id {
                throw AtriumError(.validationFailed, "Predicate group \(group.id.lowercased) names a parent that is not among the groups")
            }
        }
        let predicateRows = try predicates.map { input in
            guard RowLevelRule.isKnownOperand(input.operand) else {
                throw AtriumError(.validationFailed, "Unknown row-level predicate operand '\(input.operand)'")
            }
            if let group = input.rowLevelPermissionPredicateGroupId, !groupIDs.contains(group) {
                throw AtriumError(.validationFailed, "A predicate names a group that is not among the predicate groups")
            }
            return RowLevelPredicateRow(
                id: input.id ?? UUID(), roleId: roleID, objectMetadataId: objectID, fieldMetadataId: input.fieldMetadataId,
                operand: input.operand, value: input.value, subFieldName: input.subFieldName,
                workspaceMemberFieldMetadataId: input.workspaceMemberFieldMetadataId, workspaceMemberSubFieldName: input.workspaceMemberSubFieldName,
                rowLevelPermissionPredicateGroupId: input.rowLevelPermissionPredicateGroupId,
                positionInRowLevelPermissionPredicateGroup: input.positionInRowLevelPermissionPredicateGroup)
        }
        try await change(workspace, logger: logger) { connection in
            try await requireObject(objectID, workspace, on: connection, logger: logger)
            for predicate in predicateRows {
                var found = 0
                for try await _ in try await connection.query("""
                    SELECT 1 FROM core."fieldMetadata" WHERE "id" = \(predicate.fieldMetadataId)
                      AND "objectMetadataId" = \(objectID) AND "workspaceId" = \(workspace)
                    """, logger: logger) { found += 1 }
                guard found == 1 else {
                    throw AtriumError(.validationFailed, "Field \(predicate.fieldMetadataId.lowercased) is not a field of this object")
                }
            }
            try await connection.query("""
                DELETE FROM core."rowLevelPermissionPredicate" WHERE "roleId" = \(roleID) AND "objectMetadataId" = \(objectID) AND "workspaceId" = \(workspace)
                """, logger: logger)
            try await connection.query("""
                DELETE FROM core."rowLevelPermissionPredicateGroup" WHERE "roleId" = \(roleID) AND "objectMetadataId" = \(objectID) AND "workspaceId" = \(workspace)
                """, logger: logger)
            // Parents before children.
            var pending = groupRows
            var inserted: Set<UUID> = []
            while !pending.isEmpty {
                guard let index = pending.firstIndex(where: { $0.parentRowLevelPermissionPredicateGroupId.map(inserted.contains) ?? true }) else {
                    throw AtriumError(.validationFailed, "Predicate groups form a cycle")
                }
                let group = pending.remove(at: index)
                try await connection.query("""
                    INSERT INTO core."rowLevelPermissionPredicateGroup" ("id", "workspaceId", "roleId", "objectMetadataId",
                        "parentRowLevelPermissionPredicateGroupId", "logicalOperator", "positionInRowLevelPermissionPredicateGroup")
                    VALUES (\(group.id), \(workspace), \(roleID), \(objectID), \(group.parentRowLevelPermissionPredicateGroupId),
                        \(group.logicalOperator), \(group.positionInRowLevelPermissionPredicateGroup))
                    """, logger: logger)
                inserted.insert(group.id)
            }
            for predicate in predicateRows {
                let value = try predicate.value.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
                try await connection.query("""
                    INSERT INTO core."rowLevelPermissionPredicate" ("id", "workspaceId", "roleId", "objectMetadataId", "fieldMetadataId",
                        "operand", "value", "subFieldName", "workspaceMemberFieldMetadataId", "workspaceMemberSubFieldName",
                        "rowLevelPermissionPredicateGroupId", "positionInRowLevelPermissionPredicateGroup")
                    VALUES (\(predicate.id), \(workspace), \(roleID), \(objectID), \(predicate.fieldMetadataId), \(predicate.operand),
                        \(value)::jsonb, \(predicate.subFieldName), \(predicate.workspaceMemberFieldMetadataId),
                        \(predicate.workspaceMemberSubFieldName), \(predicate.rowLevelPermissionPredicateGroupId),
                        \(predicate.positionInRowLevelPermissionPredicateGroup))
                    """, logger: logger)
            }
        }
        return (predicateRows, groupRows)
    }
}

/// One predicate of `upsertRowLevelPermissionPredicates`.
public struct RowLevelPredicateInput: Sendable, Decodable {
    public var id: UUID?
    public var fieldMetadataId: UUID
    public var operand: String
    public var value: JSONValue?
    public var subFieldName: String?
    public var workspaceMemberFieldMetadataId: UUID?
    public var workspaceMemberSubFieldName: String?
    public var rowLevelPermissionPredicateGroupId: UUID?
    public var positionInRowLevelPermissionPredicateGroup: Double?

    public init(fieldMetadataId: UUID, operand: String, value: JSONValue? = nil, subFieldName: String? = nil,
                workspaceMemberFieldMetadataId: UUID? = nil, groupID: UUID? = nil) {
        self.fieldMetadataId = fieldMetadataId
        self.operand = operand
        self.value = value
        self.subFieldName = subFieldName
        self.workspaceMemberFieldMetadataId = workspaceMemberFieldMetadataId
        self.rowLevelPermissionPredicateGroupId = groupID
    }
}

/// One group of `upsertRowLevelPermissionPredicates`.
public struct RowLevelPredicateGroupInput: Sendable, Decodable {
    public var id: UUID?
    public var parentRowLevelPermissionPredicateGroupId: UUID?
    public var logicalOperator: String?
    public var positionInRowLevelPermissionPredicateGroup: Double?

    public init(id: UUID, logicalOperator: String, parent: UUID? = nil) {
        self.id = id
        self.logicalOperator = logicalOperator
        self.parentRowLevelPermissionPredicateGroupId = parent
    }
}
