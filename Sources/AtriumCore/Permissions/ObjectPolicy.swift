import Foundation
import Synchronization

/// What one caller may do with one object's records: its role's object, field and row rules turned, in one pass, into
/// what the statement builders need. They read this, never the role's rules.
///
/// ``RecordAccess/policy(for:in:)`` works it out once per role, snapshot, object and workspace member and reuses it.
public struct ObjectPolicy: Sendable {
    /// The object-level permissions (read, update, soft delete, destroy).
    public let permissions: ObjectPermissions
    /// The fields the caller may not read: left out of REST records, refused in filters, orders, aggregates and
    /// GraphQL selections.
    public let unreadableFields: Set<String>
    /// The fields the caller may not write.
    public let unwritableFields: Set<String>
    /// The row-level filter that narrows every read and write of the object's records; nil without one.
    public let rowFilter: RecordFilter?

    /// Everything allowed.
    static let unrestricted = ObjectPolicy(permissions: .all, unreadableFields: [], unwritableFields: [], rowFilter: nil)

    /// - Throws: ``AtriumError`` `.forbidden` unless `operation` is allowed on the object's records.
    public func require(_ operation: RecordOperation) throws {
        guard permissions.allows(operation) else { throw AtriumError.permissionDenied() }
    }

    /// Whether `name` (a field, or a relation's `<name>Id`) names a field the caller may not read.
    func isUnreadable(_ name: String) -> Bool {
        Self.names(name, in: unreadableFields)
    }

    /// Whether `name` (a field, or a relation's `<name>Id`) names a field the caller may not write.
    func isUnwritable(_ name: String) -> Bool {
        Self.names(name, in: unwritableFields)
    }

    private static func names(_ name: String, in fields: Set<String>) -> Bool {
        guard !fields.isEmpty else { return false }
        return fields.contains(name) || (name.hasSuffix("Id") && fields.contains(String(name.dropLast(2))))
    }

    /// The policy of `object` under `role` for `member`, from the role's rules.
    static func make(
        _ role: RolePermissions, object: WorkspaceSchema.Object, in workspace: WorkspaceSchema, member: UUID?
    ) throws -> ObjectPolicy {
        let permissions = role.permissions(on: object)
        let restrictions = permissions.restrictedFields
        func names(_ test: (ObjectPermissions.FieldRestriction) -> Bool) -> Set<String> {
            guard !restrictions.isEmpty else { return [] }
            return Set(object.fields.filter { restrictions[$0.id].map(test) ?? false }.map(\.name))
        }
        return ObjectPolicy(permissions: permissions, unreadableFields: names { !$0.canRead }, unwritableFields: names { !$0.canUpdate },
                            rowFilter: try role.rowLevel[object.id]?.filter(on: object, in: workspace, member: member))
    }
}

/// The policies worked out for one role, kept with its permissions (so dropped with them when permissions or metadata
/// change). Keyed by the snapshot's version too, since permissions may be newer than the snapshot a request holds.
/// Starts over when full.
final class ObjectPolicyCache: Sendable {
    struct Key: Hashable {
        let metadataVersion: Int
        let object: UUID
        let member: UUID?
    }

    /// The most policies kept per role.
    static let capacity = 1_024

    private let policies = Mutex([Key: ObjectPolicy]())

    func policy(for key: Key, make: () throws -> ObjectPolicy) rethrows -> ObjectPolicy {
        if let known = policies.withLock({ $0[key] }) { return known }
        let policy = try make()
        policies.withLock { policies in
            if policies.count >= Self.capacity { policies.removeAll(keepingCapacity: true) }
            policies[key] = policy
        }
        return policy
    }
}
