import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Roles and API keys over `/metadata` and `/rest/metadata/apiKeys`, settings flags, and tenant isolation.
@Suite(.tags(.integration))
struct MetadataPermissionsTests {
    /// A role with no settings flag and read-only records: the restricted key.
    static func readOnly(_ setup: PermissionsTestWorkspace.Setup) async throws -> UUID {
        try await setup.roles.create(setup.workspace, RoleInput(label: "Read only", canReadAllObjectRecords: true),
                                     logger: RESTTestWorkspace.logger).id
    }

    @Test func rolesAreManagedOverGraphQLAndTakeEffectAtOnce() async throws {
        try await PermissionsTestWorkspace.run(setup: Self.readOnly) { workspaces in
            let workspace = workspaces[0]
            let company = try #require(workspace.schema.object(named: "company"))
            let employees = try #require(company.field(named: "employees"))
            let created = try await workspace.metadata(workspace.admin, """
                mutation { createOneRole(createRoleInput: {label: "Sales", canReadAllObjectRecords: true, canUpdateAllObjectRecords: true}) {
                  id label isEditable canReadAllObjectRecords canDestroyAllObjectRecords } }
                """)
            let role = try #require(created.body["data"]?["createOneRole"]?["id"]?.string, "\(created.body)")
            #expect(created.body["data"]?["createOneRole"]?["isEditable"]?.bool == true)
            let objects = try await workspace.metadata(workspace.admin, """
                mutation { upsertObjectPermissions(upsertObjectPermissionsInput: {roleId: "\(role)", objectPermissions: [
                  {objectMetadataId: "\(company.id.uuidString.lowercased())", canUpdateObjectRecords: false}]}) { objectMetadataId canUpdateObjectRecords canReadObjectRecords } }
                """)
            #expect(objects.body["data"]?["upsertObjectPermissions"]?[0]?["canUpdateObjectRecords"]?.bool == false, "\(objects.body)")
            let fields = try await workspace.metadata(workspace.admin, """
                mutation { upsertFieldPermissions(upsertFieldPermissionsInput: {roleId: "\(role)", fieldPermissions: [
                  {objectMetadataId: "\(company.id.uuidString.lowercased())", fieldMetadataId: "\(employees.id.uuidString.lowercased())", canReadFieldValue: false}]}) { fieldMetadataId canReadFieldValue } }
                """)
            #expect(fields.body["data"]?["upsertFieldPermissions"]?[0]?["canReadFieldValue"]?.bool == false, "\(fields.body)")
            let flags = try await workspace.metadata(workspace.admin, """
                mutation { upsertPermissionFlags(upsertPermissionFlagsInput: {roleId: "\(role)", permissionFlagKeys: [API_KEYS_AND_WEBHOOKS]}) { flag } }
                """)
            #expect(flags.body["data"]?["upsertPermissionFlags"]?[0]?["flag"]?.string == "API_KEYS_AND_WEBHOOKS", "\(flags.body)")
            let roles = try await workspace.metadata(workspace.admin, "{ getRoles { id label isEditable permissionFlags { flag } objectPermissions { objectMetadataId } fieldPermissions { fieldMetadataId } apiKeys { name } } }")
            let labels = Set((roles.body["data"]?["getRoles"]?.array ?? []).compactMap { $0["label"]?.string })
            #expect(labels.isSuperset(of: ["Admin", "Member", "Sales", "Read only"]), "\(roles.body)")
            let admin = roles.body["data"]?["getRoles"]?.array?.first { $0["label"]?.string == "Admin" }
            #expect(admin?["isEditable"]?.bool == false)

            // A key with the new role, and a token for it.
            let key = try await workspace.metadata(workspace.admin, #"mutation { createApiKey(input: {name: "sales", roleId: "\#(role)"}) { id name role { label } } }"#)
            let keyID = try #require(key.body["data"]?["createApiKey"]?["id"]?.string, "\(key.body)")
            #expect(key.body["data"]?["createApiKey"]?["role"]?["label"]?.string == "Sales")
            let token = try await workspace.metadata(workspace.admin, #"mutation { generateApiKeyToken(apiKeyId: "\#(keyID)", expiresAt: "2099-01-01T00:00:00.000Z") { token } }"#)
            let sales = RESTTestWorkspace(id: workspace.id, token: try #require(token.body["data"]?["generateApiKeyToken"]?["token"]?.string, "\(token.body)"),
                                          client: workspace.admin.client)
            let id = try await workspace.company("Acme", extra: #","employees":5"#)
            let read = try await sales.get("/rest/companies/\(id)")
            #expect(read.status == .ok)
            #expect(!(read.body["data"]?["company"]?.keys.contains("employees") ?? true))
            #expect(try await sales.patch("/rest/companies/\(id)", #"{"name":"X"}"#).status == .forbidden)
            #expect(try await sales.post("/rest/people", #"{"name":{"firstName":"Ada"}}"#).status == .created)
            // The flag lets it list keys; it may not manage roles.
            #expect(try await workspace.metadata(sales, "{ apiKeys { name } }").body["data"]?["apiKeys"]?.array?.isEmpty == false)
            let denied = try await workspace.metadata(sales, "{ getRoles { id } }")
            #expect(denied.body["errors"]?[0]?["extensions"]?["code"]?.string == "FORBIDDEN", "\(denied.body)")

            // A change is effective on the next request.
            _ = try await workspace.metadata(workspace.admin, """
                mutation { upsertObjectPermissions(upsertObjectPermissionsInput: {roleId: "\(role)", objectPermissions: [
                  {objectMetadataId: "\(company.id.uuidString.lowercased())", canUpdateObjectRecords: true}]}) { objectMetadataId } }
                """)
            #expect(try await sales.patch("/rest/companies/\(id)", #"{"name":"X"}"#).status == .ok)
            // Moving the key to another role, then deleting that role: the key falls back to the default role (Member).
            let moved = try await workspace.metadata(workspace.admin, #"mutation { assignRoleToApiKey(apiKeyId: "\#(keyID)", roleId: "\#(workspace.roleID.uuidString.lowercased())") }"#)
            #expect(moved.body["data"]?["assignRoleToApiKey"]?.bool == true, "\(moved.body)")
            #expect(try await sales.patch("/rest/companies/\(id)", #"{"name":"Y"}"#).status == .forbidden)
            let deleted = try await workspace.metadata(workspace.admin, #"mutation { deleteOneRole(roleId: "\#(workspace.roleID.uuidString.lowercased())") }"#)
            #expect(deleted.body["data"]?["deleteOneRole"]?.string == workspace.roleID.uuidString.lowercased(), "\(deleted.body)")
            #expect(try await sales.patch("/rest/companies/\(id)", #"{"name":"Z"}"#).status == .ok)
            // Admin is not editable.
            let adminID = try #require(admin?["id"]?.string)
            let edit = try await workspace.metadata(workspace.admin, #"mutation { updateOneRole(updateRoleInput: {id: "\#(adminID)", update: {canDestroyAllObjectRecords: false}}) { id } }"#)
            #expect(edit.body["errors"]?[0]?["extensions"]?["code"]?.string == "FORBIDDEN", "\(edit.body)")
        }
    }

    @Test func settingsFlagsGuardMetadataChangesKeysRolesAndMembers() async throws {
        try await PermissionsTestWorkspace.run(setup: Self.readOnly) { workspaces in
            let workspace = workspaces[0]
            let object = try await workspace.metadata(workspace.restricted, """
                mutation { createOneObject(input: {object: {nameSingular: "invoice", namePlural: "invoices", labelSingular: "Invoice", labelPlural: "Invoices"}}) { id } }
                """)
            #expect(object.body["errors"]?[0]?["extensions"]?["code"]?.string == "FORBIDDEN", "\(object.body)")
            let rest = try await workspace.restricted.post("/rest/metadata/objects",
                #"{"nameSingular":"invoice","namePlural":"invoices","labelSingular":"Invoice","labelPlural":"Invoices"}"#)
            #expect(rest.status == .forbidden)
            #expect(rest.body["error"]?.string == "ForbiddenException")
            for query in ["{ apiKeys { id } }", #"mutation { createApiKey(input: {name: "x"}) { id } }"#, "{ getRoles { id } }",
                          #"mutation { createOneRole(createRoleInput: {label: "x"}) { id } }"#,
                          #"mutation { deleteUserFromWorkspace(workspaceMemberIdToDelete: "\#(UUID().uuidString)") { id } }"#] {
                let response = try await workspace.metadata(workspace.restricted, query)
                #expect(response.body["errors"]?[0]?["extensions"]?["code"]?.string == "FORBIDDEN", "\(query): \(response.body)")
            }
            #expect(try await workspace.restricted.get("/rest/metadata/apiKeys").status == .forbidden)
            // Reading metadata needs no flag.
            #expect(try await workspace.restricted.get("/rest/metadata/objects").status == .ok)
            // Admin may do all of it.
            let keys = try await workspace.admin.get("/rest/metadata/apiKeys")
            #expect(keys.status == .ok)
            #expect(keys.body["totalCount"]?.number == 2)
            let created = try await workspace.admin.post("/rest/metadata/apiKeys", #"{"name":"rest key"}"#)
            #expect(created.status == .created, "\(created.body)")
            let token = try #require(created.body["data"]?["createApiKey"]?["token"]?.string)
            let restKey = RESTTestWorkspace(id: workspace.id, token: token, client: workspace.admin.client)
            #expect(try await restKey.get("/rest/companies").status == .ok)
            let keyID = try #require(created.body["data"]?["createApiKey"]?["id"]?.string)
            let revoked = try await workspace.admin.delete("/rest/metadata/apiKeys/\(keyID)")
            #expect(revoked.body["data"]?["revokeApiKey"]?["revokedAt"]?.string != nil, "\(revoked.body)")
            #expect(try await restKey.get("/rest/companies").status == .unauthorized)
            // Twenty's legacy path answers the same, pointing at its successor.
            let legacy = try await workspace.admin.sendWithHeaders(.get, "/rest/apiKeys/\(keyID)")
            #expect(legacy.status == .ok && legacy.body["data"]?["apiKey"]?["id"]?.string == keyID, "\(legacy.body)")
            #expect(legacy.headers[HTTPField.Name("Deprecation")!] == "@1786320000")
            #expect(legacy.headers[HTTPField.Name("Link")!] == "</rest/metadata/apiKeys/\(keyID)>; rel=\"successor-version\"")
            #expect(try await workspace.restricted.get("/rest/apiKeys").status == .forbidden)
        }
    }

    @Test func rolesAndKeysOfAnotherWorkspaceAreNotFound() async throws {
        try await PermissionsTestWorkspace.run(count: 2, setup: Self.readOnly) { workspaces in
            let (a, b) = (workspaces[0], workspaces[1])
            let foreignRole = b.roleID.uuidString.lowercased()
            let foreignKey = b.restrictedKeyID.uuidString.lowercased()
            let company = try #require(a.schema.object(named: "company")).id.uuidString.lowercased()
            for query in [
                #"mutation { upsertObjectPermissions(upsertObjectPermissionsInput: {roleId: "\#(foreignRole)", objectPermissions: [{objectMetadataId: "\#(company)", canReadObjectRecords: false}]}) { objectMetadataId } }"#,
                #"mutation { updateOneRole(updateRoleInput: {id: "\#(foreignRole)", update: {label: "Hijacked"}}) { id } }"#,
                #"mutation { deleteOneRole(roleId: "\#(foreignRole)") }"#,
                #"mutation { createApiKey(input: {name: "x", roleId: "\#(foreignRole)"}) { id } }"#,
                #"mutation { assignRoleToApiKey(apiKeyId: "\#(foreignKey)", roleId: "\#(a.roleID.uuidString.lowercased())") }"#,
                #"mutation { assignRoleToApiKey(apiKeyId: "\#(a.restrictedKeyID.uuidString.lowercased())", roleId: "\#(foreignRole)") }"#,
                #"{ apiKey(input: {id: "\#(foreignKey)"}) { id } }"#,
                #"mutation { revokeApiKey(input: {id: "\#(foreignKey)"}) { id } }"#,
            ] {
                let response = try await a.metadata(a.admin, query)
                #expect(response.body["errors"]?[0]?["extensions"]?["code"]?.string == "NOT_FOUND", "\(query): \(response.body)")
            }
            // B's objects in A's role: not found either.
            let foreignObject = try #require(b.schema.object(named: "company")).id.uuidString.lowercased()
            let objects = try await a.metadata(a.admin, #"mutation { upsertObjectPermissions(upsertObjectPermissionsInput: {roleId: "\#(a.roleID.uuidString.lowercased())", objectPermissions: [{objectMetadataId: "\#(foreignObject)", canReadObjectRecords: false}]}) { objectMetadataId } }"#)
            #expect(objects.body["errors"]?[0]?["extensions"]?["code"]?.string == "NOT_FOUND", "\(objects.body)")
            // B's key still works in B, with its role.
            #expect(try await b.restricted.get("/rest/companies").status == .ok)
            #expect(try await b.restricted.post("/rest/companies", #"{"name":"No"}"#).status == .forbidden)
            let roles = try await b.metadata(b.admin, "{ getRoles { label } }")
            #expect(!(roles.body["data"]?["getRoles"]?.array ?? []).contains { $0["label"]?.string == "Hijacked" })
        }
    }
}
