import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Object permissions enforced in the record query layer, over REST: for each operation a role allowing only it by
/// default (on opportunities) and everything through an override (on companies). Allowed operations succeed; the
/// others answer 403 in Twenty's shape and change nothing.
@Suite(.tags(.integration))
struct RecordPermissionsTests {
    enum Attempt: String, CaseIterable { case read, create, update, softDelete, restore, destroy }

    static func needs(_ attempt: Attempt) -> RecordOperation {
        switch attempt {
        case .read: .read
        case .create, .update: .update
        case .softDelete, .restore: .softDelete
        case .destroy: .destroy
        }
    }

    @Test(arguments: [RecordOperation.read, .update, .softDelete, .destroy])
    func roleOperationObjectMatrix(_ allowed: RecordOperation) async throws {
        try await PermissionsTestWorkspace.run(setup: { setup in
            let role = try await setup.roles.create(setup.workspace, RoleInput(
                label: "Only \(allowed.rawValue)", canReadAllObjectRecords: allowed == .read, canUpdateAllObjectRecords: allowed == .update,
                canSoftDeleteAllObjectRecords: allowed == .softDelete, canDestroyAllObjectRecords: allowed == .destroy), logger: RESTTestWorkspace.logger)
            try await setup.roles.upsertObjectPermissions(setup.workspace, roleID: role.id, [ObjectPermissionInput(
                objectMetadataId: setup.object("company").id, canReadObjectRecords: true, canUpdateObjectRecords: true,
                canSoftDeleteObjectRecords: true, canDestroyObjectRecords: true)], logger: RESTTestWorkspace.logger)
            return role.id
        }) { workspaces in
            let workspace = workspaces[0]
            for (plural, singular, everything) in [("companies", "Company", true), ("opportunities", "Opportunity", false)] {
                for attempt in Attempt.allCases {
                    let expectAllowed = everything || Self.needs(attempt) == allowed
                    let created = try await workspace.admin.post("/rest/\(plural)", #"{"name":"Before"}"#)
                    let id = try #require(created.body["data"]?["create\(singular)"]?["id"]?.string)
                    if attempt == .restore { try await workspace.admin.send(.delete, "/rest/\(plural)/\(id)?soft_delete=true") }
                    let before = try await workspace.admin.get("/rest/\(plural)?filter=deletedAt[is]:NOT_NULL,name[eq]:\"Before\"")
                    let createdBefore = try await workspace.admin.get("/rest/\(plural)?filter=name[eq]:\"Created\"")
                    let response: (status: HTTPResponse.Status, body: JSONValue)
                    switch attempt {
                    case .read: response = try await workspace.restricted.get("/rest/\(plural)/\(id)")
                    case .create: response = try await workspace.restricted.post("/rest/\(plural)", #"{"name":"Created"}"#)
                    case .update: response = try await workspace.restricted.patch("/rest/\(plural)/\(id)", #"{"name":"After"}"#)
                    case .softDelete: response = try await workspace.restricted.send(.delete, "/rest/\(plural)/\(id)?soft_delete=true")
                    case .restore: response = try await workspace.restricted.send(.patch, "/rest/restore/\(plural)/\(id)")
                    case .destroy: response = try await workspace.restricted.delete("/rest/\(plural)/\(id)")
                    }
                    let context = "\(allowed) role, \(attempt) on \(plural)"
                    if expectAllowed {
                        #expect(response.status.code < 300, "\(context): \(response.body)")
                        continue
                    }
                    #expect(response.status == .forbidden, "\(context): \(response.body)")
                    #expect(response.body["error"]?.string == "ForbiddenException", "\(context)")
                    #expect(response.body["statusCode"]?.number == 403, "\(context)")
                    // Nothing changed.
                    let after = try await workspace.admin.get("/rest/\(plural)?filter=deletedAt[is]:NOT_NULL,name[eq]:\"Before\"")
                    #expect(after.body["totalCount"] == before.body["totalCount"], "\(context)")
                    let record = try await workspace.admin.get("/rest/\(plural)?filter=id[eq]:\(id),deletedAt[is]:\(attempt == .restore ? "NOT_NULL" : "NULL")")
                    #expect(record.body["data"]?[plural]?[0]?["name"]?.string == "Before", "\(context): \(record.body)")
                    let createdCount = try await workspace.admin.get("/rest/\(plural)?filter=name[eq]:\"Created\"")
                    #expect(createdCount.body["totalCount"] == createdBefore.body["totalCount"], "\(context)")
                }
            }
        }
    }

    /// A role reading and updating every record, with `company.employees` restricted as given.
    static func employeesRestricted(_ setup: PermissionsTestWorkspace.Setup, canRead: Bool? = nil, canUpdate: Bool? = nil) async throws -> UUID {
        let role = try await setup.roles.create(setup.workspace, RoleInput(
            label: "Employees restricted", canReadAllObjectRecords: true, canUpdateAllObjectRecords: true), logger: RESTTestWorkspace.logger)
        try await setup.roles.upsertFieldPermissions(setup.workspace, roleID: role.id, [FieldPermissionInput(
            objectMetadataId: setup.object("company").id, fieldMetadataId: setup.field("company", "employees").id,
            canReadFieldValue: canRead, canUpdateFieldValue: canUpdate)], logger: RESTTestWorkspace.logger)
        return role.id
    }

    /// Record expressions are reused per role (`RenderedRecordCache`): a restriction made while serving must still apply
    /// to the very next read, of one record and of a list, at depth 0 and 1.
    @Test func aFieldRestrictionMadeWhileServingAppliesToTheNextRead() async throws {
        try await PermissionsTestWorkspace.run(setup: { try await Self.employeesRestricted($0) }) { workspace in
            let workspace = workspace[0]
            let id = try await workspace.company("Acme", extra: #","employees":12"#)
            let paths = ["/rest/companies/\(id)", "/rest/companies/\(id)?depth=1", "/rest/companies", "/rest/companies?depth=1"]
            func employees(_ path: String) async throws -> JSONValue? {
                let body = try await workspace.restricted.get(path).body
                return path.hasPrefix("/rest/companies/") ? body["data"]?["company"]?["employees"] : body["data"]?["companies"]?[0]?["employees"]
            }
            for path in paths { #expect(try await employees(path)?.number == 12, "\(path)") }
            let company = workspace.schema.object(named: "company")!
            let field = try #require(company.field(named: "employees"))
            let upsert = try await workspace.metadata(workspace.admin, """
                mutation { upsertFieldPermissions(upsertFieldPermissionsInput: {roleId: "\(workspace.roleID.uuidString.lowercased())", fieldPermissions: [
                  {objectMetadataId: "\(company.id.uuidString.lowercased())", fieldMetadataId: "\(field.id.uuidString.lowercased())", canReadFieldValue: false}]}) { canReadFieldValue } }
                """)
            #expect(upsert.body["data"]?["upsertFieldPermissions"]?[0]?["canReadFieldValue"]?.bool == false, "\(upsert.body)")
            for path in paths { #expect(try await employees(path) == nil, "\(path)") }
        }
    }

    @Test func readRestrictedFieldIsAbsentAndRefusedInFilterAndOrder() async throws {
        try await PermissionsTestWorkspace.run(setup: { try await Self.employeesRestricted($0, canRead: false) }) { workspaces in
            let workspace = workspaces[0]
            let id = try await workspace.company("Acme", extra: #","employees":12"#)
            let list = try await workspace.restricted.get("/rest/companies")
            #expect(list.status == .ok)
            let first = try #require(list.body["data"]?["companies"]?[0])
            #expect(first.keys.contains("name"))
            #expect(!first.keys.contains("employees"))
            let one = try await workspace.restricted.get("/rest/companies/\(id)")
            #expect(one.status == .ok)
            #expect(!(one.body["data"]?["company"]?.keys.contains("employees") ?? true))
            #expect(try await workspace.restricted.get("/rest/companies?filter=employees[gte]:1").status == .forbidden)
            #expect(try await workspace.restricted.get("/rest/companies?order_by=employees").status == .forbidden)
            // GraphQL: selecting or filtering the field is FORBIDDEN; other fields are fine.
            let selected = try await workspace.graphQL(workspace.restricted, "{ companies { edges { node { id employees } } } }")
            #expect(selected.body["errors"]?[0]?["extensions"]?["code"]?.string == "FORBIDDEN", "\(selected.body)")
            let filtered = try await workspace.graphQL(workspace.restricted, "{ companies(filter: {employees: {gte: 1}}) { edges { node { id } } } }")
            #expect(filtered.body["errors"]?[0]?["extensions"]?["code"]?.string == "FORBIDDEN", "\(filtered.body)")
            let aggregated = try await workspace.graphQL(workspace.restricted, "{ companies { sumEmployees } }")
            #expect(aggregated.body["errors"]?[0]?["extensions"]?["code"]?.string == "FORBIDDEN", "\(aggregated.body)")
            #expect(try await workspace.restricted.get("/rest/companies/groupBy?group_by=%5B%7B%22employees%22:true%7D%5D").status == .forbidden)
            #expect(try await workspace.restricted.get("/rest/companies/groupBy?group_by=%5B%7B%22name%22:true%7D%5D&aggregate=%5B%22sumEmployees%22%5D").status == .forbidden)
            let fine = try await workspace.graphQL(workspace.restricted, "{ companies { edges { node { id name } } } }")
            #expect(fine.body["data"]?["companies"]?["edges"]?[0]?["node"]?["name"]?.string == "Acme", "\(fine.body)")
            // The Admin key still sees it.
            let admin = try await workspace.admin.get("/rest/companies/\(id)")
            #expect(admin.body["data"]?["company"]?["employees"]?.number == 12)
        }
    }

    @Test func updateRestrictedFieldIsRefusedInWrites() async throws {
        try await PermissionsTestWorkspace.run(setup: { try await Self.employeesRestricted($0, canUpdate: false) }) { workspaces in
            let workspace = workspaces[0]
            let id = try await workspace.company("Acme", extra: #","employees":12"#)
            let refused = try await workspace.restricted.patch("/rest/companies/\(id)", #"{"employees":99}"#)
            #expect(refused.status == .forbidden)
            #expect(try await workspace.restricted.post("/rest/companies", #"{"name":"New","employees":3}"#).status == .forbidden)
            let allowed = try await workspace.restricted.patch("/rest/companies/\(id)", #"{"name":"Acme 2"}"#)
            #expect(allowed.status == .ok)
            let read = try await workspace.restricted.get("/rest/companies/\(id)")
            #expect(read.body["data"]?["company"]?["employees"]?.number == 12)
            let graphQL = try await workspace.graphQL(workspace.restricted, #"mutation { updateCompany(id: "\#(id)", data: {employees: 5}) { id } }"#)
            #expect(graphQL.body["errors"]?[0]?["extensions"]?["code"]?.string == "FORBIDDEN", "\(graphQL.body)")
        }
    }

    @Test func nestedRelationsRespectTheTargetObject() async throws {
        try await PermissionsTestWorkspace.run(setup: { setup in
            let role = try await setup.roles.create(setup.workspace, RoleInput(
                label: "No people", canReadAllObjectRecords: true), logger: RESTTestWorkspace.logger)
            try await setup.roles.upsertObjectPermissions(setup.workspace, roleID: role.id, [ObjectPermissionInput(
                objectMetadataId: setup.object("person").id, canReadObjectRecords: false)], logger: RESTTestWorkspace.logger)
            return role.id
        }) { workspaces in
            let workspace = workspaces[0]
            let id = try await workspace.company("Acme")
            _ = try await workspace.admin.post("/rest/people", #"{"name":{"firstName":"Ada"},"companyId":"\#(id)"}"#)
            #expect(try await workspace.restricted.get("/rest/people").status == .forbidden)
            let nested = try await workspace.restricted.get("/rest/companies/\(id)?depth=1")
            #expect(nested.status == .ok)
            #expect(!(nested.body["data"]?["company"]?.keys.contains("people") ?? true), "\(nested.body)")
            let graphQL = try await workspace.graphQL(workspace.restricted, "{ companies { edges { node { id people { edges { node { id } } } } } } }")
            #expect(graphQL.body["errors"]?[0]?["extensions"]?["code"]?.string == "FORBIDDEN", "\(graphQL.body)")
        }
    }
}
