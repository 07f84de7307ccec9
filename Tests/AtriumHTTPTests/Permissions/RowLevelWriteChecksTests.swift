import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Row-level predicates on writes (PostgreSQL RLS's WITH CHECK): a create, update, upsert or merge that would leave a
/// record outside the role's rule is refused (403, FORBIDDEN over GraphQL) and writes nothing. The role is
/// ``RowLevelPermissionsTests/setup(_:)``'s: companies whose name contains "Mine" or with at least 500 employees.
@Suite(.tags(.integration))
struct RowLevelWriteChecksTests {
    @Test func restCreatesOutsideTheRuleAreRefusedAndWriteNothing() async throws {
        try await PermissionsTestWorkspace.run(setup: RowLevelPermissionsTests.setup) { workspaces in
            let workspace = workspaces[0]
            let inside = try await workspace.restricted.post("/rest/companies", #"{"name":"Mine new"}"#)
            #expect(inside.status == .created, "\(inside.body)")
            let outside = try await workspace.restricted.post("/rest/companies", #"{"name":"Someone else's"}"#)
            #expect(outside.status == .forbidden, "\(outside.body)")
            #expect(outside.body["statusCode"]?.number == 403, "\(outside.body)")
            #expect(try await workspace.restricted.post("/rest/companies", #"{"name":"Big","employees":900}"#).status == .created)
            let batch = try await workspace.restricted.post("/rest/batch/companies", #"[{"name":"Mine 1"},{"name":"Theirs"},{"name":"Mine 2"}]"#)
            #expect(batch.status == .forbidden, "\(batch.body)")
            // Upsert: a new record outside is refused; so is taking over an existing record outside the rule.
            let other = try await workspace.company("Other")
            let upserted = try await workspace.restricted.post("/rest/companies?upsert=true", #"{"id":"\#(other)","name":"Mine now"}"#)
            #expect(upserted.status == .forbidden, "\(upserted.body)")
            let batchUpsert = try await workspace.restricted.post("/rest/batch/companies?upsert=true",
                                                                   #"[{"id":"\#(other)","name":"Mine now"},{"name":"Mine 3","employees":1}]"#)
            #expect(batchUpsert.status == .forbidden, "\(batchUpsert.body)")
            let names = try await Self.names(workspace)
            #expect(names == ["Big", "Mine new", "Other"], "nothing of the refused writes remains")
        }
    }

    @Test func restUpdatesMovingARecordOutsideTheRuleAreRefused() async throws {
        try await PermissionsTestWorkspace.run(setup: RowLevelPermissionsTests.setup) { workspaces in
            let workspace = workspaces[0]
            let mine = try await workspace.company("Mine A")
            _ = try await workspace.company("Mine B")
            let moved = try await workspace.restricted.patch("/rest/companies/\(mine)", #"{"name":"Given away"}"#)
            #expect(moved.status == .forbidden, "\(moved.body)")
            let many = try await workspace.restricted.patch("/rest/companies?filter=name[like]:\"Mine%\"", #"{"name":"Nobody's"}"#)
            #expect(many.status == .forbidden, "\(many.body)")
            #expect(try await Self.names(workspace) == ["Mine A", "Mine B"])
            // Still inside (an OR group: at least 500 employees) is fine.
            let kept = try await workspace.restricted.patch("/rest/companies/\(mine)", #"{"name":"Given away","employees":800}"#)
            #expect(kept.status == .ok, "\(kept.body)")
            // Merging writes the merged values, checked the same way; these stay inside (800 employees).
            let third = try await workspace.company("Mine C")
            let merged = try await workspace.restricted.patch("/rest/companies/merge", #"{"ids":["\#(mine)","\#(third)"],"conflictPriorityIndex":0}"#)
            #expect(merged.status == .ok, "\(merged.body)")
        }
    }

    @Test func graphQLCreatesAndUpdatesOutsideTheRuleAreForbidden() async throws {
        try await PermissionsTestWorkspace.run(setup: RowLevelPermissionsTests.setup) { workspaces in
            let workspace = workspaces[0]
            let created = try await workspace.graphQL(workspace.restricted, #"mutation { createCompany(data: {name: "Mine G"}) { id name } }"#)
            let id = try #require(created.body["data"]?["createCompany"]?["id"]?.string, "\(created.body)")
            let refused = try await workspace.graphQL(workspace.restricted, #"mutation { createCompany(data: {name: "Theirs"}) { id } }"#)
            #expect(Self.code(refused.body) == "FORBIDDEN", "\(refused.body)")
            let batch = try await workspace.graphQL(workspace.restricted,
                #"mutation { createCompanies(data: [{name: "Mine H"}, {name: "Theirs"}]) { id } }"#)
            #expect(Self.code(batch.body) == "FORBIDDEN", "\(batch.body)")
            let upsert = try await workspace.graphQL(workspace.restricted,
                #"mutation { createCompanies(upsert: true, data: [{id: "\#(id)", name: "Theirs"}, {name: "Mine I", employees: 3}]) { id } }"#)
            #expect(Self.code(upsert.body) == "FORBIDDEN", "\(upsert.body)")
            let moved = try await workspace.graphQL(workspace.restricted, #"mutation { updateCompany(id: "\#(id)", data: {name: "Theirs"}) { id } }"#)
            #expect(Self.code(moved.body) == "FORBIDDEN", "\(moved.body)")
            let many = try await workspace.graphQL(workspace.restricted,
                #"mutation { updateCompanies(filter: {name: {like: "Mine%"}}, data: {name: "Theirs"}) { id } }"#)
            #expect(Self.code(many.body) == "FORBIDDEN", "\(many.body)")
            #expect(try await Self.names(workspace) == ["Mine G"])
        }
    }

    /// A merge fills the priority record's empty fields from the others: with a rule "no employees OR an ideal customer",
    /// merging an in-rule record with no employees and another ideal customer with employees would make a record with
    /// employees that is no ideal customer, outside the rule: refused, and neither record changes.
    @Test func aMergeWhoseResultFallsOutsideTheRuleIsRefused() async throws {
        try await PermissionsTestWorkspace.run(setup: Self.emptyOrIdeal) { workspaces in
            let workspace = workspaces[0]
            let priority = try await workspace.company("Small", extra: #","idealCustomerProfile":false"#)
            let other = try await workspace.company("Ideal", extra: #","employees":5,"idealCustomerProfile":true"#)
            let merged = try await workspace.restricted.patch("/rest/companies/merge", #"{"ids":["\#(priority)","\#(other)"],"conflictPriorityIndex":0}"#)
            #expect(merged.status == .forbidden, "\(merged.body)")
            #expect(try await Self.names(workspace) == ["Ideal", "Small"])
            let small = try await workspace.admin.get("/rest/companies/\(priority)")
            #expect(small.body["data"]?["company"]?["employees"] == .null, "\(small.body)")
        }
    }

    /// A role writing the companies with no employees or that are an ideal customer.
    static func emptyOrIdeal(_ setup: PermissionsTestWorkspace.Setup) async throws -> UUID {
        let logger = RESTTestWorkspace.logger
        let role = try await setup.roles.create(setup.workspace, RoleInput(
            label: "Small or ideal", canReadAllObjectRecords: true, canUpdateAllObjectRecords: true,
            canSoftDeleteAllObjectRecords: true), logger: logger)
        let group = UUID()
        _ = try await setup.roles.replaceRowLevelPredicates(
            setup.workspace, roleID: role.id, objectID: setup.object("company").id,
            predicates: [
                RowLevelPredicateInput(fieldMetadataId: setup.field("company", "employees").id, operand: "IS_EMPTY", groupID: group),
                RowLevelPredicateInput(fieldMetadataId: setup.field("company", "idealCustomerProfile").id, operand: "IS", value: true, groupID: group),
            ],
            groups: [RowLevelPredicateGroupInput(id: group, logicalOperator: "OR")], logger: logger)
        return role.id
    }

    /// A merge moves the others' related records to the kept record, which updates them: a role that may not update
    /// people cannot merge companies that have people (403, nothing changes), and merges companies without any.
    @Test func aMergeMovingRelatedRecordsTheRoleMayNotUpdateIsRefused() async throws {
        try await PermissionsTestWorkspace.run(setup: { setup in
            let role = try await setup.roles.create(setup.workspace, RoleInput(
                label: "Companies, not people", canReadAllObjectRecords: true, canUpdateAllObjectRecords: true,
                canSoftDeleteAllObjectRecords: true), logger: RESTTestWorkspace.logger)
            try await setup.roles.upsertObjectPermissions(setup.workspace, roleID: role.id, [ObjectPermissionInput(
                objectMetadataId: setup.object("person").id, canReadObjectRecords: true, canUpdateObjectRecords: false,
                canSoftDeleteObjectRecords: false, canDestroyObjectRecords: false)], logger: RESTTestWorkspace.logger)
            return role.id
        }) { workspaces in
            let workspace = workspaces[0]
            let (kept, other) = (try await workspace.company("Kept"), try await workspace.company("Other"))
            let person = try await workspace.admin.post("/rest/people", #"{"name":{"firstName":"Ada"},"companyId":"\#(other)"}"#)
            let personID = try #require(person.body["data"]?["createPerson"]?["id"]?.string, "\(person.body)")
            let refused = try await workspace.restricted.patch("/rest/companies/merge", #"{"ids":["\#(kept)","\#(other)"],"conflictPriorityIndex":0}"#)
            #expect(refused.status == .forbidden, "\(refused.body)")
            #expect(try await Self.names(workspace) == ["Kept", "Other"])
            let ada = try await workspace.admin.get("/rest/people/\(personID)")
            #expect(ada.body["data"]?["person"]?["companyId"]?.string == other, "the person still points at its company")
            // Without people to move, the same role merges.
            let lonely = try await workspace.company("Lonely")
            let merged = try await workspace.restricted.patch("/rest/companies/merge", #"{"ids":["\#(kept)","\#(lonely)"],"conflictPriorityIndex":0}"#)
            #expect(merged.status == .ok, "\(merged.body)")
            #expect(try await Self.names(workspace) == ["Kept", "Other"])
        }
    }

    /// The moved records are checked against the role's row-level rule on their own object: with "opportunities owned
    /// by me", an API key (no member: nothing is "me") cannot move another member's opportunities.
    @Test func aMergeMovingRelatedRecordsOutsideTheirRuleIsRefused() async throws {
        try await PermissionsTestWorkspace.run(setup: { setup in
            let role = try await setup.roles.create(setup.workspace, RoleInput(
                label: "My opportunities", canReadAllObjectRecords: true, canUpdateAllObjectRecords: true,
                canSoftDeleteAllObjectRecords: true), logger: RESTTestWorkspace.logger)
            _ = try await setup.roles.replaceRowLevelPredicates(
                setup.workspace, roleID: role.id, objectID: setup.object("opportunity").id,
                predicates: [RowLevelPredicateInput(fieldMetadataId: setup.field("opportunity", "owner").id, operand: "IS",
                                                    workspaceMemberFieldMetadataId: setup.field("workspaceMember", "id").id)],
                groups: [], logger: RESTTestWorkspace.logger)
            return role.id
        }) { workspaces in
            let workspace = workspaces[0]
            let (kept, other) = (try await workspace.company("Kept"), try await workspace.company("Other"))
            let deal = try await workspace.admin.post("/rest/opportunities", #"{"name":"Deal","companyId":"\#(other)"}"#)
            #expect(deal.status == .created, "\(deal.body)")
            let refused = try await workspace.restricted.patch("/rest/companies/merge", #"{"ids":["\#(kept)","\#(other)"],"conflictPriorityIndex":0}"#)
            #expect(refused.status == .forbidden, "\(refused.body)")
            #expect(try await Self.names(workspace) == ["Kept", "Other"])
        }
    }

    /// Tenant isolation: an upsert naming another workspace's record id makes a new record in the caller's workspace
    /// (checked against the caller's rule) and leaves the other workspace's record alone.
    @Test func upsertsNeverReachAnotherWorkspacesRecord() async throws {
        try await PermissionsTestWorkspace.run(count: 2, setup: RowLevelPermissionsTests.setup) { workspaces in
            let (first, second) = (workspaces[0], workspaces[1])
            let other = try await first.company("Other")
            let upserted = try await second.restricted.post("/rest/companies?upsert=true", #"{"id":"\#(other)","name":"Mine here"}"#)
            #expect(upserted.status == .created, "\(upserted.body)")
            let refused = try await second.restricted.post("/rest/companies?upsert=true", #"{"id":"\#(UUID().uuidString.lowercased())","name":"Theirs"}"#)
            #expect(refused.status == .forbidden, "\(refused.body)")
            #expect(try await Self.names(first) == ["Other"])
            #expect(try await Self.names(second) == ["Mine here"])
        }
    }

    /// A rule comparing with "me" matches nothing for an API key (it has no member): it can create nothing.
    @Test func apiKeyWithAnOwnerEqualsMeRuleCannotCreate() async throws {
        try await PermissionsTestWorkspace.run(setup: Self.ownerIsMe) { workspaces in
            let workspace = workspaces[0]
            let created = try await workspace.restricted.post("/rest/companies", #"{"name":"Ownerless"}"#)
            #expect(created.status == .forbidden, "\(created.body)")
            let graphQL = try await workspace.graphQL(workspace.restricted, #"mutation { createCompany(data: {name: "Ownerless"}) { id } }"#)
            #expect(Self.code(graphQL.body) == "FORBIDDEN", "\(graphQL.body)")
            #expect(try await Self.names(workspace).isEmpty)
        }
    }

    /// A role that sees and writes the companies whose account owner is the current member.
    static func ownerIsMe(_ setup: PermissionsTestWorkspace.Setup) async throws -> UUID {
        let logger = RESTTestWorkspace.logger
        let role = try await setup.roles.create(setup.workspace, RoleInput(
            label: "Account owner", canReadAllObjectRecords: true, canUpdateAllObjectRecords: true), logger: logger)
        _ = try await setup.roles.replaceRowLevelPredicates(
            setup.workspace, roleID: role.id, objectID: setup.object("company").id,
            predicates: [RowLevelPredicateInput(fieldMetadataId: setup.field("company", "accountOwner").id, operand: "IS",
                                                workspaceMemberFieldMetadataId: setup.field("workspaceMember", "id").id)],
            groups: [], logger: logger)
        return role.id
    }

    /// The names of every live company, as Admin sees them, sorted.
    static func names(_ workspace: PermissionsTestWorkspace) async throws -> [String] {
        let list = try await workspace.admin.get("/rest/companies")
        return (list.body["data"]?["companies"]?.array ?? []).compactMap { $0["name"]?.string }.sorted()
    }

    static func code(_ body: JSONValue) -> String? { body["errors"]?[0]?["extensions"]?["code"]?.string }
}
