@testable import AtriumCore
import Foundation
import Testing

/// An object policy names a field by itself or by its relation's `<name>Id`, and is worked out once per key.
struct ObjectPolicyTests {
    @Test func aFieldIsNamedByItselfOrByItsRelationsIdColumn() throws {
        let policy = ObjectPolicy(permissions: .all, unreadableFields: ["salary", "company"], unwritableFields: ["owner"], rowFilter: nil)
        #expect(policy.isUnreadable("salary") && policy.isUnreadable("company") && policy.isUnreadable("companyId"))
        #expect(!policy.isUnreadable("name") && !policy.isUnreadable("salaryIdentifier") && !policy.isUnreadable("Id"))
        #expect(policy.isUnwritable("ownerId") && !policy.isUnwritable("salary"))
        #expect(throws: AtriumError.self) {
            try ObjectPolicy(permissions: ObjectPermissions(canReadObjectRecords: false, canUpdateObjectRecords: true,
                                                            canSoftDeleteObjectRecords: true, canDestroyObjectRecords: true,
                                                            restrictedFields: [:]),
                             unreadableFields: [], unwritableFields: [], rowFilter: nil).require(.read)
        }
        try ObjectPolicy.unrestricted.require(.destroy)
    }

    @Test func aPolicyIsWorkedOutOncePerKey() throws {
        let cache = ObjectPolicyCache()
        let key = ObjectPolicyCache.Key(metadataVersion: 3, object: UUID(), member: nil)
        var made = 0
        for _ in 0..<3 {
            _ = cache.policy(for: key) {
                made += 1
                return ObjectPolicy.unrestricted
            }
        }
        #expect(made == 1)
        _ = cache.policy(for: ObjectPolicyCache.Key(metadataVersion: 4, object: key.object, member: nil)) {
            made += 1
            return ObjectPolicy.unrestricted
        }
        #expect(made == 2, "another snapshot version is another policy")
    }
}
