import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Row-level predicates compiled into every read and write: a record outside them is absent (404) and bulk
/// operations never touch it, over REST and GraphQL.
@Suite(.tags(.integration))
struct RowLevelPermissionsTests {
    /// A role seeing the companies whose name contains "Mine", or (an OR group) that have at least 500 employees.
    static func setup(_ setup: PermissionsTestWorkspace.Setup) async throws -> UUID {
        let logger = RESTTestWorkspace.logger
        let role = try await setup.roles.create(setup.workspace, RoleInput(
            label: "Own companies", canReadAllObjectRecords: true, canUpdateAllObjectRecords: true,
            canSoftDeleteAllObjectRecords: true, canDestroyAllObjectRecords: true), logger: logger)
        let group = UUID()
        _ = try await setup.roles.replaceRowLevelPredicates(
            setup.workspace, roleID: role.id, objectID: setup.object("company").id,
            predicates: [
                RowLevelPredicateInput(fieldMetadataId: setup.field("company", "name").id, operand: "CONTAINS", value: "Mine", groupID: group),
                RowLevelPredicateInput(fieldMetadataId: setup.field("company", "employees").id, operand: "GREATER_THAN_OR_EQUAL", value: 500, groupID: group),
            ],
            groups: [RowLevelPredicateGroupInput(id: group, logicalOperator: "OR")], logger: logger)
        return role.id
    }

    @Test func restListGetUpdateManyAndDeleteMany() async throws {
        try await PermissionsTestWorkspace.run(setup: Self.setup) { workspaces in
            let workspace = workspaces[0]
            let mineA = try await workspace.company("Mine A")
            let big = try await workspace.company("Big", extra: #","employees":900"#)
            let other = try await workspace.company("Other")
            let list = try await workspace.restricted.get("/rest/companies")
            #expect(list.body["totalCount"]?.number == 2, "\(list.body)")
            let names = Set((list.body["data"]?["companies"]?.array ?? []).compactMap { $0["name"]?.string })
            #expect(names == ["Mine A", "Big"])
            #expect(try await workspace.restricted.get("/rest/companies/\(mineA)").status == .ok)
            #expect(try await workspace.restricted.get("/rest/companies/\(big)").status == .ok)
            #expect(try await workspace.restricted.get("/rest/companies/\(other)").status == .notFound)
            #expect(try await workspace.restricted.patch("/rest/companies/\(other)", #"{"name":"Taken"}"#).status == .notFound)
            #expect(try await workspace.restricted.delete("/rest/companies/\(other)").status == .notFound)
            // Embedded related records (depth=1) follow the rule too.
            let person = try await workspace.admin.post("/rest/people", #"{"name":{"firstName":"Ada"},"companyId":"\#(other)"}"#)
            let personID = try #require(person.body["data"]?["createPerson"]?["id"]?.string, "\(person.body)")
            let embedded = try await workspace.restricted.get("/rest/people/\(personID)?depth=1")
            #expect(embedded.status == .ok)
            #expect(embedded.body["data"]?["person"]?["company"] == .null, "\(embedded.body)")
            let mine = try await workspace.admin.post("/rest/people", #"{"name":{"firstName":"Bob"},"companyId":"\#(mineA)"}"#)
            let mineID = try #require(mine.body["data"]?["createPerson"]?["id"]?.string)
            let shown = try await workspace.restricted.get("/rest/people/\(mineID)?depth=1")
            #expect(shown.body["data"]?["person"]?["company"]?["name"]?.string == "Mine A", "\(shown.body)")
            let merge = try await workspace.restricted.patch("/rest/companies/merge", #"{"ids":["\#(mineA)","\#(other)"],"conflictPriorityIndex":0}"#)
            #expect(merge.status == .notFound, "\(merge.body)")
            let duplicates = try await workspace.restricted.post("/rest/companies/duplicates", #"{"ids":["\#(other)"]}"#)
            #expect(duplicates.body["data"]?[0]?["companyDuplicates"]?.array?.isEmpty ?? true, "\(duplicates.body)")

            let updated = try await workspace.restricted.patch("/rest/companies?filter=name[like]:\"%\"", #"{"employees":600}"#)
            #expect(updated.status == .ok, "\(updated.body)")
            #expect(updated.body["data"]?["updateCompanies"]?.array?.count == 2)
            let untouched = try await workspace.admin.get("/rest/companies/\(other)")
            #expect(untouched.body["data"]?["company"]?["employees"] == .null)
            #expect(try await workspace.admin.patch("/rest/companies/\(big)", #"{"employees":7}"#).status == .ok)

            // "Big" now has 7 employees: outside the rule, so the bulk delete leaves it with "Other".
            let deleted = try await workspace.restricted.delete("/rest/companies?filter=name[like]:\"%\"")
            #expect(deleted.status == .ok, "\(deleted.body)")
            #expect(deleted.body["data"]?["deleteCompanies"]?.array?.count == 1)
            let remaining = try await workspace.admin.get("/rest/companies")
            let left = Set((remaining.body["data"]?["companies"]?.array ?? []).compactMap { $0["id"]?.string })
            #expect(left == [other, big])
        }
    }

    @Test func graphQLListGetUpdateManyAndDeleteMany() async throws {
        try await PermissionsTestWorkspace.run(setup: Self.setup) { workspaces in
            let workspace = workspaces[0]
            _ = try await workspace.company("Mine A")
            _ = try await workspace.company("Mine B")
            let other = try await workspace.company("Other")
            let list = try await workspace.graphQL(workspace.restricted, "{ companies { totalCount edges { node { name } } } }")
            #expect(list.body["data"]?["companies"]?["totalCount"]?.number == 2, "\(list.body)")
            let one = try await workspace.graphQL(workspace.restricted, #"{ company(filter: {id: {eq: "\#(other)"}}) { id } }"#)
            #expect(one.body["data"]?["company"] == .null || one.body["errors"] != nil, "\(one.body)")
            let updated = try await workspace.graphQL(workspace.restricted,
                #"mutation { updateCompanies(filter: {name: {like: "%"}}, data: {employees: 7}) { id } }"#)
            #expect(updated.body["data"]?["updateCompanies"]?.array?.count == 2, "\(updated.body)")
            let untouched = try await workspace.admin.get("/rest/companies/\(other)")
            #expect(untouched.body["data"]?["company"]?["employees"] == .null)
            let deleted = try await workspace.graphQL(workspace.restricted, #"mutation { deleteCompanies(filter: {name: {like: "%"}}) { id } }"#)
            #expect(deleted.body["data"]?["deleteCompanies"]?.array?.count == 2, "\(deleted.body)")
            let remaining = try await workspace.admin.get("/rest/companies")
            #expect(remaining.body["totalCount"]?.number == 1)
        }
    }

    /// Predicates become filter conditions: Twenty's operand names map to comparators; unknown operands are refused.
    @Test func predicateOperandsBecomeConditions() throws {
        let member = UUID()
        let condition = try RowLevelRule.condition(FieldPath("accountOwnerId"), operand: "IS", value: .string(member.uuidString.lowercased()))
        #expect(condition == .condition(FieldPath("accountOwnerId"), .eq, .value(member.uuidString.lowercased())))
        #expect(throws: AtriumError.self) { try RowLevelRule.condition(FieldPath("name"), operand: "BOGUS", value: .string("x")) }
    }
}
