import AtriumCore
@testable import AtriumHTTP
import AtriumTestSupport
import AtriumRedisAdapters
import Foundation
import Testing

/// Effective permissions as CONTRACT.md §7 computes them, read in one query and then served from process memory or
/// from Redis.
@Suite(.tags(.integration))
struct EffectivePermissionsTests {
    @Test func computedAsTwentyDoesInOneQueryAndCached() async throws {
        try await CacheTestBed.run { bed in
            let store = RedisMetadataStore(redis: bed.redis[0])
            let metadata = WorkspaceSchemaCache(database: bed.database, store: store, logger: bed.logger)
            let roles = RoleAdministration(cache: metadata)
            let workspace = bed.workspace.id
            let before = try await metadata.schema(for: workspace, logger: bed.logger)
            let company = try #require(before.object(named: "company"))
            let person = try #require(before.object(named: "person"))
            let workflow = try #require(before.object(named: "workflow"))
            let system = try #require(before.objects.first { $0.isSystem })
            let name = try #require(company.labelIdentifierField)
            let employees = try #require(company.field(named: "employees"))
            let role = try await roles.create(workspace, RoleInput(label: "Analyst", canReadAllObjectRecords: false), logger: bed.logger)
            try await roles.upsertObjectPermissions(workspace, roleID: role.id, [
                ObjectPermissionInput(objectMetadataId: company.id, canReadObjectRecords: true, canUpdateObjectRecords: nil),
            ], logger: bed.logger)
            try await roles.upsertFieldPermissions(workspace, roleID: role.id, [
                FieldPermissionInput(objectMetadataId: company.id, fieldMetadataId: name.id, canReadFieldValue: false),
                FieldPermissionInput(objectMetadataId: company.id, fieldMetadataId: employees.id, canReadFieldValue: false, canUpdateFieldValue: false),
            ], logger: bed.logger)
            try await roles.upsertPermissionFlags(workspace, roleID: role.id, [.workflows, .exportCSV], logger: bed.logger)
            await #expect(throws: AtriumError.self) {
                try await roles.upsertFieldPermissions(workspace, roleID: role.id, [
                    FieldPermissionInput(objectMetadataId: company.id, fieldMetadataId: employees.id, canReadFieldValue: true),
                ], logger: bed.logger)
            }

            let schema = try await metadata.schema(for: workspace, logger: bed.logger)
            let cache = PermissionsCache(database: bed.database, store: store)
            let start = bed.operations.count
            let permissions = try await cache.permissions(for: schema, logger: bed.logger)
            #expect(bed.operations.count - start == 1, "one query per workspace")
            let analyst = try #require(permissions.roles[role.id])
            let onCompany = analyst.permissions(on: company)
            #expect(onCompany.canReadObjectRecords)                 // the override
            #expect(!onCompany.canUpdateObjectRecords)              // null override: the role's default
            #expect(!analyst.permissions(on: person).canReadObjectRecords)
            #expect(analyst.permissions(on: workflow) == .all)      // WORKFLOWS flag
            #expect(analyst.permissions(on: system) == .all)        // system objects
            #expect(onCompany.restrictedFields[name.id] == nil)     // the label identifier stays readable
            #expect(onCompany.restrictedFields[employees.id]?.canRead == false)
            #expect(onCompany.restrictedFields[employees.id]?.canUpdate == false)
            #expect(analyst.has(.workflows) && analyst.has(.exportCSV))
            #expect(!analyst.has(.dataModel) && !analyst.has(.roles) && !analyst.has(.importCSV))
            let admin = try #require(permissions.roles.values.first { $0.role.label == "Admin" })
            #expect(admin.has(.dataModel) && admin.has(.importCSV))

            // Again: from process memory. Another instance: from Redis. Neither queries PostgreSQL.
            let cached = bed.operations.count
            _ = try await cache.permissions(for: schema, logger: bed.logger)
            let other = try await PermissionsCache(database: bed.database, store: store).permissions(for: schema, logger: bed.logger)
            #expect(bed.operations.count == cached)
            #expect(other.roles[role.id]?.permissions(on: company) == onCompany)
        }
    }
}
