import AtriumCore
import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import Logging
import Testing

/// A revocation made through one instance takes effect on another within 100 ms, although each trusts its cached key
/// rows for a minute here: the revocation is published over Redis and every instance drops the key.
@Suite(.tags(.integration))
struct APIKeyRevocationTests {
    @Test func revocationReachesASecondInstanceWithin100Milliseconds() async throws {
        let logger = RESTTestWorkspace.logger
        try await TestTenants.with(name: "Revocation") { database, tenants in
            let apiKeys = APIKeyManager(database: database, secrets: TokenSecrets(appSecret: TestEnvironment.appSecret))
            try await Self.measure(tenants[0].id, apiKeys: apiKeys, logger: logger)
        }
    }

    /// Revokes a key through the first of two instances and measures when the second refuses it.
    static func measure(_ workspaceID: UUID, apiKeys: APIKeyManager, logger: Logger) async throws {
        let admin = try await apiKeys.create(workspaceID: workspaceID, name: "admin", logger: logger)
        let probe = try await apiKeys.create(workspaceID: workspaceID, name: "probe", logger: logger)
        let victim = try await apiKeys.create(workspaceID: workspaceID, name: "victim", logger: logger)
        let slowCache = ["API_KEY_CACHE_TTL_MS": "60000"]
        try await withTestApplication(slowCache) { first, _ in
            try await withTestApplication(slowCache) { second, _ in
                let adminOnFirst = RESTTestWorkspace(id: workspaceID, token: admin.token, client: first)
                let probeOnSecond = RESTTestWorkspace(id: workspaceID, token: probe.token, client: second)
                let victimOnSecond = RESTTestWorkspace(id: workspaceID, token: victim.token, client: second)
                // Both keys are cached on the second instance.
                #expect(try await probeOnSecond.get("/rest/companies").status == .ok)
                #expect(try await victimOnSecond.get("/rest/companies").status == .ok)
                // Wait until the second instance's subscription is live: revoke the probe until it is refused.
                _ = try await adminOnFirst.delete("/rest/metadata/apiKeys/\(probe.key.id.uuidString.lowercased())")
                let live = try await answers(.unauthorized, within: .seconds(10)) { try await probeOnSecond.get("/rest/companies").status }
                try #require(live, "the second instance never applied the probe's revocation")
                // The measured revocation.
                let revoked = try await adminOnFirst.delete("/rest/metadata/apiKeys/\(victim.key.id.uuidString.lowercased())")
                #expect(revoked.status == .ok)
                let refused = try await answers(.unauthorized, within: .milliseconds(100)) { try await victimOnSecond.get("/rest/companies").status }
                #expect(refused, "the revoked key still worked on the second instance 100 ms after the revocation")
            }
        }
    }
}

/// A role change made through one instance reaches another: the change bumps the metadata version, which every
/// instance learns of by pub/sub (or within the revalidation interval), and the permissions cached for the older
/// version are no longer used.
@Suite(.tags(.integration))
struct PermissionsCoherenceTests {
    @Test func aRoleChangeOnOneInstanceAppliesOnAnother() async throws {
        try await PermissionsTestWorkspace.run(setup: MetadataPermissionsTests.readOnly) { workspaces in
            let workspace = workspaces[0]
            let company = try #require(workspace.schema.object(named: "company")).id.uuidString.lowercased()
            try await withTestApplication { second, _ in
                let restrictedOnSecond = RESTTestWorkspace(id: workspace.id, token: workspace.restricted.token, client: second)
                #expect(try await restrictedOnSecond.get("/rest/companies").status == .ok)
                let changed = try await workspace.metadata(workspace.admin, """
                    mutation { upsertObjectPermissions(upsertObjectPermissionsInput: {roleId: "\(workspace.roleID.uuidString.lowercased())",
                      objectPermissions: [{objectMetadataId: "\(company)", canReadObjectRecords: false}]}) { objectMetadataId } }
                    """)
                #expect(changed.body["errors"] == nil, "\(changed.body)")
                let refused = try await answers(.forbidden, within: .seconds(1)) { try await restrictedOnSecond.get("/rest/companies").status }
                #expect(refused, "the second instance still used the old permissions a second after the change")
            }
        }
    }
}

/// Whether `request` answers `status` before `limit` has passed, asking again every 5 ms.
func answers(_ status: HTTPResponse.Status, within limit: Duration, _ request: () async throws -> HTTPResponse.Status) async throws -> Bool {
    let start = ContinuousClock.now
    while ContinuousClock.now - start < limit {
        if try await request() == status { return true }
        try await Task.sleep(for: .milliseconds(5))
    }
    return false
}

extension Result where Failure == any Error {
    /// The outcome of `body`, kept so clean-up can run before it is rethrown.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
