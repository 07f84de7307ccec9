import Foundation

/// What a role may do with one object's records, computed as CONTRACT.md §7 says (``RolePermissions/compute``).
public struct ObjectPermissions: Sendable, Hashable, Codable {
    public var canReadObjectRecords: Bool
    public var canUpdateObjectRecords: Bool
    public var canSoftDeleteObjectRecords: Bool
    public var canDestroyObjectRecords: Bool
    /// Field metadata id → restriction; only restricted fields appear.
    public var restrictedFields: [UUID: FieldRestriction]

    /// A field's restriction: `false` where the role may not.
    public struct FieldRestriction: Sendable, Hashable, Codable {
        public var canRead: Bool
        public var canUpdate: Bool
    }

    /// Everything allowed, nothing restricted.
    public static let all = ObjectPermissions(canReadObjectRecords: true, canUpdateObjectRecords: true,
                                              canSoftDeleteObjectRecords: true, canDestroyObjectRecords: true, restrictedFields: [:])

    /// Whether `operation` is allowed on the object.
    public func allows(_ operation: RecordOperation) -> Bool {
        switch operation {
        case .read: canReadObjectRecords
        case .update: canUpdateObjectRecords
        case .softDelete: canSoftDeleteObjectRecords
        case .destroy: canDestroyObjectRecords
        }
    }
}

/// The four record operations permissions distinguish. Create and upsert count as `update`, restore as `softDelete`.
public enum RecordOperation: String, Sendable, Hashable {
    case read, update, softDelete, destroy
}

/// One role's effective permissions over a workspace's objects.
public struct RolePermissions: Sendable {
    public let role: RoleRow
    public let flags: Set<String>
    /// Object metadata id → permissions, for every object of the snapshot the role was computed against.
    public let objects: [UUID: ObjectPermissions]
    /// Object metadata id → its row-level rule, for the objects that have one.
    public let rowLevel: [UUID: RowLevelRule]
    /// Record expressions rendered for this role, reused by later requests.
    let renderedRecords = RenderedRecordCache()
    /// The object policies worked out for this role, reused by later requests.
    var policies: ObjectPolicyCache { renderedRecords.policies }

    /// The objects Twenty governs with the WORKFLOWS flag rather than record permissions.
    static let workflowObjects: Set<String> = ["workflow", "workflowRun", "workflowVersion"]

    /// Effective permissions of `role` (CONTRACT.md §7): workflow objects follow `canUpdateAllSettings || WORKFLOWS`;
    /// system objects allow everything; other objects take the override, else the role's default; field restrictions
    /// come from fieldPermission rows, except that the label identifier stays readable.
    static func compute(_ role: RoleRow, rows: PermissionRows, schema: WorkspaceSchema) -> RolePermissions {
        let flags = Set(rows.permissionFlags.filter { $0.roleId == role.id }.map(\.flag))
        let overrides = Dictionary(rows.objectPermissions.filter { $0.roleId == role.id }.map { ($0.objectMetadataId, $0) },
                                   uniquingKeysWith: { first, _ in first })
        let fieldRows = Dictionary(grouping: rows.fieldPermissions.filter { $0.roleId == role.id }, by: \.objectMetadataId)
        let workflows = role.canUpdateAllSettings || flags.contains(PermissionFlag.workflows.rawValue)
        var objects: [UUID: ObjectPermissions] = [:]
        for object in schema.objects {
            if Self.workflowObjects.contains(object.nameSingular) {
                objects[object.id] = ObjectPermissions(canReadObjectRecords: workflows, canUpdateObjectRecords: workflows,
                                                       canSoftDeleteObjectRecords: workflows, canDestroyObjectRecords: workflows,
                                                       restrictedFields: [:])
                continue
            }
            if object.isSystem {
                objects[object.id] = .all
                continue
            }
            let override = overrides[object.id]
            var permissions = ObjectPermissions(
                canReadObjectRecords: override?.canReadObjectRecords ?? role.canReadAllObjectRecords,
                canUpdateObjectRecords: override?.canUpdateObjectRecords ?? role.canUpdateAllObjectRecords,
                canSoftDeleteObjectRecords: override?.canSoftDeleteObjectRecords ?? role.canSoftDeleteAllObjectRecords,
                canDestroyObjectRecords: override?.canDestroyObjectRecords ?? role.canDestroyAllObjectRecords,
                restrictedFields: [:])
            let labelIdentifier = object.labelIdentifierField?.id
            for row in fieldRows[object.id] ?? [] {
                let canRead = row.fieldMetadataId == labelIdentifier || row.canReadFieldValue != false
                let canUpdate = row.canUpdateFieldValue != false
                if !canRead || !canUpdate {
                    permissions.restrictedFields[row.fieldMetadataId] = .init(canRead: canRead, canUpdate: canUpdate)
                }
            }
            objects[object.id] = permissions
        }
        let rowLevel = RowLevelRule.rules(for: role.id, rows: rows)
        return RolePermissions(role: role, flags: flags, objects: objects, rowLevel: rowLevel)
    }

    /// Whether the role holds `flag`: settings flags through `canUpdateAllSettings`, tool flags through `canAccessAllTools`.
    public func has(_ flag: PermissionFlag) -> Bool {
        if flags.contains(flag.rawValue) { return true }
        return flag.isTool ? role.canAccessAllTools : role.canUpdateAllSettings
    }

    /// The permissions on `object`; an object the snapshot did not know (created since) gets the role's defaults.
    public func permissions(on object: WorkspaceSchema.Object) -> ObjectPermissions {
        if let known = objects[object.id] { return known }
        if object.isSystem { return .all }
        return ObjectPermissions(canReadObjectRecords: role.canReadAllObjectRecords, canUpdateObjectRecords: role.canUpdateAllObjectRecords,
                                 canSoftDeleteObjectRecords: role.canSoftDeleteAllObjectRecords,
                                 canDestroyObjectRecords: role.canDestroyAllObjectRecords, restrictedFields: [:])
    }
}
