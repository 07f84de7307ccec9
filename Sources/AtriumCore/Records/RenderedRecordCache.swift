import Foundation
import Synchronization

/// The record expressions of REST's selections (``RecordTree/Preset``) one role's requests have rendered
/// (``SelectionRenderer``), kept so the next request with the same object and preset reuses the SQL text instead of
/// building it again (about a tenth of a findOne's CPU).
///
/// One cache lives in each ``RolePermissions``, so it is dropped with them when permissions or metadata change; the
/// key still carries the snapshot's `metadataVersion`, since permissions may be newer than the snapshot a request
/// holds. Only expressions that bind no values are kept (row-level predicates of embedded records bind theirs). It
/// holds at most ``capacity`` entries and starts over when full.
final class RenderedRecordCache: Sendable {
    struct Key: Hashable, Sendable {
        let metadataVersion: Int
        let object: UUID
        let alias: String
        let preset: RecordTree.Preset
        /// The first nested alias the expression used (`r<n>`): the same text needs the same aliases.
        let firstNestedAlias: Int
    }

    /// The most expressions kept per role.
    static let capacity = 512

    private let entries = Mutex([Key: (expression: String, aliasCount: Int)]())
    /// The role's object policies, dropped with the rendered expressions.
    let policies = ObjectPolicyCache()

    init() {}

    func expression(for key: Key) -> (expression: String, aliasCount: Int)? {
        entries.withLock { $0[key] }
    }

    func keep(_ expression: (expression: String, aliasCount: Int), for key: Key) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = expression
        }
    }
}
