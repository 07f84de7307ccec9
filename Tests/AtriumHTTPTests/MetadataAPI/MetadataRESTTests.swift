import AtriumCore
@testable import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/rest/metadata/objects` and `/rest/metadata/fields` in Twenty's envelopes, errors in Twenty's shape.
@Suite(.tags(.integration)) struct MetadataRESTTests {
    typealias Support = MetadataAPITestSupport

    @Test func objectsAndFieldsLifecycleInTwentysEnvelopes() async throws {
        try await Support.run { tenants, client in
            let tenant = tenants[0]
            // List.
            var (status, json) = try await Support.request(client, .get, "/rest/metadata/objects", tenant: tenant)
            #expect(status == .ok)
            let objects = try #require(json["data"]?["objects"]?.array)
            #expect(objects.count == StandardObjects.all.count)
            #expect(json["pageInfo"]?["hasNextPage"]?.bool == false)
            #expect(json["totalCount"]?.number == Double(StandardObjects.all.count))
            let company = try #require(objects.first { $0["nameSingular"]?.string == "company" })
            let companyID = try #require(company["id"]?.string)
            #expect(company["isCustom"]?.bool == false)
            #expect(company["createdAt"]?.string?.hasSuffix("Z") == true)
            // Paging.
            (status, json) = try await Support.request(client, .get, "/rest/metadata/objects?limit=2", tenant: tenant)
            #expect(json["data"]?["objects"]?.array?.count == 2)
            #expect(json["pageInfo"]?["hasNextPage"]?.bool == true)
            let cursor = try #require(json["pageInfo"]?["endCursor"]?.string)
            (status, json) = try await Support.request(client, .get, "/rest/metadata/objects?limit=2&starting_after=\(cursor)", tenant: tenant)
            #expect(json["data"]?["objects"]?.array?.count == 2)
            (status, _) = try await Support.request(client, .get, "/rest/metadata/objects?limit=-1", tenant: tenant)
            #expect(status == .badRequest)

            // Create an object: 201 and createOneObject.
            (status, json) = try await Support.request(client, .post, "/rest/metadata/objects", tenant: tenant, body: [
                "nameSingular": "invoice", "namePlural": "invoices", "labelSingular": "Invoice", "labelPlural": "Invoices", "icon": "IconReceipt",
            ])
            #expect(status == .created)
            let invoice = try #require(json["data"]?["createOneObject"])
            let invoiceID = try #require(invoice["id"]?.string)
            #expect(invoice["nameSingular"]?.string == "invoice")
            #expect(invoice["isCustom"]?.bool == true)
            #expect(invoice["labelIdentifierFieldMetadataId"]?.string != nil)
            #expect(invoice["fields"]?.array?.contains { $0["name"]?.string == "name" } == true)

            // Create fields: a SELECT and a relation to company.
            (status, json) = try await Support.request(client, .post, "/rest/metadata/fields", tenant: tenant, body: [
                "objectMetadataId": .string(invoiceID), "type": "SELECT", "name": "status", "label": "Status", "defaultValue": "'DRAFT'",
                "options": [["value": "DRAFT", "label": "Draft", "color": "gray", "position": 0], ["value": "PAID", "label": "Paid", "color": "green", "position": 1]],
            ])
            #expect(status == .created, "\(json)")
            let statusField = try #require(json["data"]?["createOneField"])
            let statusID = try #require(statusField["id"]?.string)
            #expect(statusField["type"]?.string == "SELECT")
            #expect(statusField["options"]?.array?.count == 2)
            #expect(statusField["relation"] == .null)
            (status, json) = try await Support.request(client, .post, "/rest/metadata/fields", tenant: tenant, body: [
                "objectMetadataId": .string(invoiceID), "type": "RELATION", "name": "company", "label": "Company",
                "relationCreationPayload": ["targetObjectMetadataId": .string(companyID), "targetFieldLabel": "Invoices", "type": "MANY_TO_ONE"],
                "settings": ["onDelete": "CASCADE"],
            ])
            #expect(status == .created, "\(json)")
            let relation = try #require(json["data"]?["createOneField"]?["relation"])
            #expect(relation["type"]?.string == "MANY_TO_ONE")
            #expect(relation["targetObjectMetadata"]?["nameSingular"]?.string == "company")
            #expect(relation["targetFieldMetadata"]?["name"]?.string == "invoices")

            // One, update, delete.
            (status, json) = try await Support.request(client, .get, "/rest/metadata/fields/\(statusID)", tenant: tenant)
            #expect(status == .ok)
            #expect(json["data"]?["field"]?["name"]?.string == "status")
            (status, json) = try await Support.request(client, .patch, "/rest/metadata/fields/\(statusID)", tenant: tenant,
                                                       body: ["label": "State", "isActive": false])
            #expect(status == .ok)
            #expect(json["data"]?["updateOneField"]?["label"]?.string == "State")
            #expect(json["data"]?["updateOneField"]?["isActive"]?.bool == false)
            (status, json) = try await Support.request(client, .patch, "/rest/metadata/objects/\(invoiceID)", tenant: tenant,
                                                       body: ["labelPlural": "Bills", "description": "Money owed"])
            #expect(json["data"]?["updateOneObject"]?["labelPlural"]?.string == "Bills")
            // Renaming the object moves its records' routes with it. The rename needs the table to itself: while the
            // relation's concurrent index build still runs (it waits for every older transaction of the database, the
            // other tests' included), the answer is a 503 to retry, and a client tries again.
            for _ in 0..<10 {
                (status, json) = try await Support.request(client, .patch, "/rest/metadata/objects/\(invoiceID)", tenant: tenant,
                                                           body: ["nameSingular": "bill", "namePlural": "bills"])
                guard status == .serviceUnavailable else { break }
            }
            #expect(status == .ok, "\(json)")
            #expect(json["data"]?["updateOneObject"]?["nameSingular"]?.string == "bill")
            (status, json) = try await Support.request(client, .post, "/rest/bills", tenant: tenant, body: ["name": "March"])
            #expect(status == .created, "\(json)")
            #expect(json["data"]?["createBill"]?["name"]?.string == "March")
            (status, _) = try await Support.request(client, .get, "/rest/invoices", tenant: tenant)
            #expect(status.code >= 400 && status.code < 500)
            (status, json) = try await Support.request(client, .delete, "/rest/metadata/fields/\(statusID)", tenant: tenant)
            #expect(status == .ok)
            #expect(json["data"]?["deleteOneField"]?["id"]?.string == statusID)
            (status, json) = try await Support.request(client, .get, "/rest/metadata/fields/\(statusID)", tenant: tenant)
            #expect(status == .notFound)
            (status, json) = try await Support.request(client, .delete, "/rest/metadata/objects/\(invoiceID)", tenant: tenant)
            #expect(status == .ok)
            #expect(json["data"]?["deleteOneObject"]?["id"]?.string == invoiceID)
            (status, json) = try await Support.request(client, .get, "/rest/metadata/objects/\(invoiceID)", tenant: tenant)
            #expect(status == .notFound)
        }
    }

    @Test func invalidInputGets400InTwentysShapeAndChangesNothing() async throws {
        try await Support.run { tenants, client in
            let tenant = tenants[0]
            let (_, list) = try await Support.request(client, .get, "/rest/metadata/fields", tenant: tenant)
            let before = list["totalCount"]
            let company = try #require(try await Support.request(client, .get, "/rest/metadata/objects", tenant: tenant).1["data"]?["objects"]?.array?
                .first { $0["nameSingular"]?.string == "company" }?["id"]?.string)
            let bodies: [(JSONValue, String)] = [
                (["objectMetadataId": .string(company), "type": "TEXT", "name": "Bad Name", "label": "X"], "camelCase"),
                (["objectMetadataId": .string(company), "type": "TEXT", "name": "type", "label": "X"], "not available"),
                (["objectMetadataId": .string(company), "type": "NOPE", "name": "x", "label": "X"], "Invalid field type"),
                (["objectMetadataId": .string(company), "type": "SELECT", "name": "x", "label": "X", "options": []], "Options are required"),
                (["objectMetadataId": .string(company), "type": "SELECT", "name": "x", "label": "X", "options": [["value": "a b", "label": "A"]]], "upper snake case"),
                (["objectMetadataId": .string(company), "type": "RELATION", "name": "x", "label": "X",
                  "relationCreationPayload": ["targetObjectMetadataId": .string(UUID().uuidString), "type": "MANY_TO_ONE"]], "does not exist"),
                (["objectMetadataId": .string(company), "type": "TEXT", "label": "X"], "name is required"),
                (["objectMetadataId": .string(company), "type": "DATE_TIME", "name": "due", "label": "Due", "defaultValue": "'soon'"], "does not fit"),
            ]
            for (body, message) in bodies {
                let (status, json) = try await Support.request(client, .post, "/rest/metadata/fields", tenant: tenant, body: body)
                #expect(status == .badRequest, "\(body)")
                #expect(json["statusCode"]?.number == 400)
                #expect(json["error"]?.string == "BadRequestException")
                #expect(json["messages"]?[0]?.string?.contains(message) == true, "\(json)")
            }
            var (status, json) = try await Support.request(client, .post, "/rest/metadata/objects", tenant: tenant,
                                                           body: ["nameSingular": "person", "namePlural": "persons", "labelSingular": "P", "labelPlural": "Ps"])
            #expect(status == .badRequest)
            #expect(json["messages"]?[0]?.string?.contains("not available") == true)
            (status, json) = try await Support.request(client, .get, "/rest/metadata/objects/not-a-uuid", tenant: tenant)
            #expect(status == .badRequest)
            (status, json) = try await Support.request(client, .patch, "/rest/metadata/objects", tenant: tenant, body: [:])
            #expect(status == .badRequest)
            #expect(json["messages"]?[0]?.string?.contains("Id missing") == true)
            let (_, after) = try await Support.request(client, .get, "/rest/metadata/fields", tenant: tenant)
            #expect(after["totalCount"] == before)
            // A new default that does not fit an existing field's type (PostgreSQL refuses the DDL) is a 400 too.
            (status, json) = try await Support.request(client, .post, "/rest/metadata/fields", tenant: tenant,
                                                       body: ["objectMetadataId": .string(company), "type": "DATE_TIME", "name": "due", "label": "Due"])
            let due = try #require(json["data"]?["createOneField"]?["id"]?.string)
            (status, json) = try await Support.request(client, .patch, "/rest/metadata/fields/\(due)", tenant: tenant, body: ["defaultValue": "'soon'"])
            #expect(status == .badRequest && json["messages"]?[0]?.string?.contains("does not fit") == true, "\(json)")
            // No token, no metadata.
            (status, json) = try await Support.request(client, .get, "/rest/metadata/objects", tenant: nil)
            #expect(status == .unauthorized)
            #expect(json["error"]?.string == "UnauthorizedException")
        }
    }

    @Test func aTokenOfWorkspaceBCanNeitherReadNorChangeWorkspaceAMetadata() async throws {
        try await Support.run(tenants: 2) { tenants, client in
            let (a, b) = (tenants[0], tenants[1])
            var (status, json) = try await Support.request(client, .post, "/rest/metadata/objects", tenant: a, body: [
                "nameSingular": "secret", "namePlural": "secrets", "labelSingular": "Secret", "labelPlural": "Secrets",
            ])
            #expect(status == .created)
            let secret = try #require(json["data"]?["createOneObject"]?["id"]?.string)
            let nameField = try #require(json["data"]?["createOneObject"]?["labelIdentifierFieldMetadataId"]?.string)
            // B does not see it, by list or id, and cannot change or delete it.
            (status, json) = try await Support.request(client, .get, "/rest/metadata/objects", tenant: b)
            #expect(json["data"]?["objects"]?.array?.contains { $0["id"]?.string == secret } == false)
            #expect(json["data"]?["objects"]?.array?.contains { $0["nameSingular"]?.string == "secret" } == false)
            (status, _) = try await Support.request(client, .get, "/rest/metadata/objects/\(secret)", tenant: b)
            #expect(status == .notFound)
            (status, _) = try await Support.request(client, .patch, "/rest/metadata/objects/\(secret)", tenant: b, body: ["labelSingular": "Mine"])
            #expect(status == .notFound)
            (status, _) = try await Support.request(client, .delete, "/rest/metadata/objects/\(secret)", tenant: b)
            #expect(status == .notFound)
            (status, _) = try await Support.request(client, .patch, "/rest/metadata/fields/\(nameField)", tenant: b, body: ["label": "Mine"])
            #expect(status == .notFound)
            (status, _) = try await Support.request(client, .post, "/rest/metadata/fields", tenant: b, body: [
                "objectMetadataId": .string(secret), "type": "TEXT", "name": "intrusion", "label": "Intrusion",
            ])
            #expect(status == .badRequest)
            let graph = try await Support.graphQL(client, tenant: b, "query($id: UUID!) { object(id: $id) { id } }", variables: ["id": .string(secret)])
            #expect(graph["errors"]?[0]?["extensions"]?["code"]?.string == "NOT_FOUND")
            // A still sees it unchanged.
            (status, json) = try await Support.request(client, .get, "/rest/metadata/objects/\(secret)", tenant: a)
            #expect(status == .ok)
            #expect(json["data"]?["object"]?["labelSingular"]?.string == "Secret")
            #expect(json["data"]?["object"]?["fields"]?.array?.contains { $0["name"]?.string == "intrusion" } == false)
        }
    }
}
