import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// An onboarded workspace always has a default role (Twenty's `onboarded_workspace_requires_default_role`): deleting
/// it is refused with FORBIDDEN, and the role stays.
@Suite(.tags(.integration))
struct DefaultRoleTests {
    @Test func deletingTheDefaultRoleIsForbidden() async throws {
        try await PermissionsTestWorkspace.run(setup: Self.viewer) { workspaces in
            let workspace = workspaces[0]
            let roles = try await workspace.metadata(workspace.admin, "{ getRoles { id label } }")
            let member = try #require(roles.body["data"]?["getRoles"]?.array?.first { $0["label"]?.string == "Member" }?["id"]?.string, "\(roles.body)")
            let deleted = try await workspace.metadata(workspace.admin, #"mutation { deleteOneRole(roleId: "\#(member)") }"#)
            #expect(deleted.body["errors"]?[0]?["extensions"]?["code"]?.string == "FORBIDDEN", "\(deleted.body)")
            let after = try await workspace.metadata(workspace.admin, "{ getRoles { id } }")
            #expect(after.body["data"]?["getRoles"]?.array?.contains { $0["id"]?.string == member } == true)
        }
    }

    /// The restricted key's role (unused here: Admin deletes).
    static func viewer(_ setup: PermissionsTestWorkspace.Setup) async throws -> UUID {
        try await setup.roles.create(setup.workspace, RoleInput(label: "Viewer", canReadAllObjectRecords: true), logger: RESTTestWorkspace.logger).id
    }
}
