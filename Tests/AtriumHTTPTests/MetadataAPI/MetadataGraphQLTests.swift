import AtriumCore
@testable import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /metadata` with Twenty's operation and type names; errors carry `extensions.code`.
@Suite(.tags(.integration)) struct MetadataGraphQLTests {
    typealias Support = MetadataAPITestSupport

    @Test func queriesAndMutationsWithTwentysNames() async throws {
        try await Support.run { tenants, client in
            let tenant = tenants[0]
            var json = try await Support.graphQL(client, tenant: tenant, """
                query Objects($paging: CursorPaging, $filter: ObjectFilter) {
                  objects(paging: $paging, filter: $filter) {
                    edges { node { id nameSingular namePlural isCustom isActive createdAt
                      fieldsList { id name type isNullable relation { type targetObjectMetadata { nameSingular } targetFieldMetadata { name } } } }
                      cursor }
                    pageInfo { hasNextPage startCursor endCursor }
                    totalCount
                  }
                }
                """, variables: ["paging": ["first": 100], "filter": ["isSystem": ["is": false]]])
            #expect(json["errors"] == nil, "\(json)")
            let edges = try #require(json["data"]?["objects"]?["edges"]?.array)
            let company = try #require(edges.first { $0["node"]?["nameSingular"]?.string == "company" }?["node"])
            #expect(edges.allSatisfy { $0["node"]?["nameSingular"]?.string != "noteTarget" })
            let owner = company["fieldsList"]?.array?.first { $0["name"]?.string == "accountOwner" }
            #expect(owner?["relation"]?["type"]?.string == "MANY_TO_ONE")
            #expect(owner?["relation"]?["targetObjectMetadata"]?["nameSingular"]?.string == "workspaceMember")
            let companyID = try #require(company["id"]?.string)

            json = try await Support.graphQL(client, tenant: tenant, """
                mutation Create($input: CreateOneObjectInput!) { createOneObject(input: $input) { id nameSingular labelIdentifierFieldMetadataId isCustom } }
                """, variables: ["input": ["object": ["nameSingular": "project", "namePlural": "projects", "labelSingular": "Project", "labelPlural": "Projects"]]])
            #expect(json["errors"] == nil, "\(json)")
            let project = try #require(json["data"]?["createOneObject"]?["id"]?.string)
            #expect(json["data"]?["createOneObject"]?["isCustom"]?.bool == true)

            json = try await Support.graphQL(client, tenant: tenant, """
                mutation CreateField($input: CreateOneFieldMetadataInput!) {
                  createOneField(input: $input) { id name type options defaultValue object { nameSingular }
                    relation { type sourceObjectMetadata { nameSingular } targetObjectMetadata { nameSingular } targetFieldMetadata { name } } }
                }
                """, variables: ["input": ["field": [
                    "objectMetadataId": .string(project), "type": "RELATION", "name": "client", "label": "Client",
                    "relationCreationPayload": ["targetObjectMetadataId": .string(companyID), "targetFieldLabel": "Projects", "type": "MANY_TO_ONE"],
                ]]])
            #expect(json["errors"] == nil, "\(json)")
            let created = try #require(json["data"]?["createOneField"])
            #expect(created["object"]?["nameSingular"]?.string == "project")
            #expect(created["relation"]?["targetFieldMetadata"]?["name"]?.string == "projects")
            let clientID = try #require(created["id"]?.string)

            json = try await Support.graphQL(client, tenant: tenant, """
                mutation { createOneField(input: {field: {objectMetadataId: "\(project)", type: MULTI_SELECT, name: "labels", label: "Labels",
                  options: [{value: "HOT", label: "Hot", color: "red", position: 0}], defaultValue: ["'HOT'"]}}) { id options defaultValue } }
                """)
            #expect(json["errors"] == nil, "\(json)")
            #expect(json["data"]?["createOneField"]?["options"]?[0]?["value"]?.string == "HOT")
            #expect(json["data"]?["createOneField"]?["defaultValue"]?[0]?.string == "'HOT'")

            json = try await Support.graphQL(client, tenant: tenant, """
                mutation U($input: UpdateOneFieldMetadataInput!) { updateOneField(input: $input) { id name label } }
                """, variables: ["input": ["id": .string(clientID), "update": ["name": "customer", "label": "Customer"]]])
            #expect(json["data"]?["updateOneField"]?["name"]?.string == "customer")

            json = try await Support.graphQL(client, tenant: tenant, """
                query F($id: UUID!) { field(id: $id) { name } fields(paging: {first: 5}, filter: {isCustom: {is: true}}) { edges { node { name } } totalCount } }
                """, variables: ["id": .string(clientID)])
            #expect(json["data"]?["field"]?["name"]?.string == "customer")
            #expect((json["data"]?["fields"]?["totalCount"]?.number ?? 0) >= 3)

            json = try await Support.graphQL(client, tenant: tenant, """
                mutation D($id: UUID!) { deleteOneField(input: {id: $id}) { id name } }
                """, variables: ["id": .string(clientID)])
            #expect(json["data"]?["deleteOneField"]?["name"]?.string == "customer")
            json = try await Support.graphQL(client, tenant: tenant, """
                mutation { updateOneObject(input: {id: "\(project)", update: {labelSingular: "Job"}}) { labelSingular } }
                """)
            #expect(json["data"]?["updateOneObject"]?["labelSingular"]?.string == "Job")
            json = try await Support.graphQL(client, tenant: tenant, "mutation { deleteOneObject(input: {id: \"\(project)\"}) { id nameSingular } }")
            #expect(json["data"]?["deleteOneObject"]?["nameSingular"]?.string == "project")
        }
    }

    @Test func errorsCarryExtensionsCode() async throws {
        try await Support.run { tenants, client in
            let tenant = tenants[0]
            var json = try await Support.graphQL(client, tenant: tenant, "query { objects { edges { node { id } }")
            #expect(json["errors"]?[0]?["extensions"]?["code"]?.string == "GRAPHQL_PARSE_FAILED")
            json = try await Support.graphQL(client, tenant: tenant, "query { objects { nope } }")
            #expect(json["errors"]?[0]?["extensions"]?["code"]?.string == "GRAPHQL_VALIDATION_FAILED")
            json = try await Support.graphQL(client, tenant: tenant, """
                mutation { createOneObject(input: {object: {nameSingular: "workspace", namePlural: "workspacez", labelSingular: "W", labelPlural: "Ws"}}) { id } }
                """)
            #expect(json["errors"]?[0]?["extensions"]?["code"]?.string == "BAD_USER_INPUT")
            #expect(json["errors"]?[0]?["message"]?.string == "The name \"workspace\" is not available")
            json = try await Support.graphQL(client, tenant: tenant, "query { field(id: \"\(UUID())\") { id } }")
            #expect(json["errors"]?[0]?["extensions"]?["code"]?.string == "NOT_FOUND")
            let (status, body) = try await Support.request(client, .post, "/metadata", tenant: nil, body: ["query": "{ objects { totalCount } }"])
            #expect(status == .unauthorized)
            #expect(body["errors"]?[0]?["extensions"]?["code"]?.string == "UNAUTHENTICATED")
        }
    }
}
