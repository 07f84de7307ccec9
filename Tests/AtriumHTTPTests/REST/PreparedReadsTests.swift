import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Record reads run as named prepared statements once a process has sent their text three times
/// (`PreparedStatements`). Metadata changes underneath them must be served at once and correctly.
@Suite(.tags(.integration)) struct PreparedReadsTests {
    typealias Support = MetadataAPITestSupport

    @Test func admissionAfterThreeSightingsAndBoundedByTheLimit() {
        let statements = PreparedStatementsProbe(limit: 2)
        #expect(statements.names(for: "A", times: 2) == [nil, nil])
        let a = statements.names(for: "A", times: 2)
        #expect(a[0] != nil && a[0] == a[1], "the third sighting admits the text, for good")
        #expect(statements.names(for: "B", times: 3).last! != nil)
        #expect(statements.names(for: "C", times: 5).allSatisfy { $0 == nil }, "past the limit, texts run unprepared")
        #expect(Set([a[0], statements.names(for: "B", times: 1)[0]]).count == 2, "one name per text")
        #expect(PreparedStatementsProbe(limit: 0).names(for: "A", times: 5).allSatisfy { $0 == nil }, "0 prepares nothing")
    }

    @Test func preparedReadsFollowMetadataChangesAtOnce() async throws {
        try await Support.run { tenants, client in
            let tenant = tenants[0]
            let (_, objects) = try await Support.request(client, .get, "/rest/metadata/objects", tenant: tenant)
            let company = try #require(objects["data"]?["objects"]?.array?.first { $0["nameSingular"]?.string == "company" }?["id"])
            var (status, json) = try await Support.request(client, .post, "/rest/metadata/fields", tenant: tenant, body: [
                "objectMetadataId": company, "type": "SELECT", "name": "tier", "label": "Tier", "defaultValue": "'GOLD'",
                "options": [["value": "GOLD", "label": "Gold", "position": 0], ["value": "SILVER", "label": "Silver", "position": 1],
                            ["value": "BRONZE", "label": "Bronze", "position": 2]],
            ])
            #expect(status == .created, "\(json)")
            let tier = try #require(json["data"]?["createOneField"]?["id"]?.string)
            (status, json) = try await Support.request(client, .post, "/rest/companies", tenant: tenant, body: ["name": "Acme", "tier": "SILVER"])
            #expect(status == .created, "\(json)")
            let id = try #require(json["data"]?["createCompany"]?["id"]?.string)

            /// The record by id, and the list filtered on `field` = SILVER.
            func read(_ field: String) async throws -> (one: JSONValue?, total: JSONValue?) {
                let (oneStatus, one) = try await Support.request(client, .get, "/rest/companies/\(id)", tenant: tenant)
                #expect(oneStatus == .ok, "\(one)")
                let (listStatus, list) = try await Support.request(client, .get, "/rest/companies?filter=\(field)[eq]:SILVER", tenant: tenant)
                #expect(listStatus == .ok, "\(list)")
                return (one["data"]?["company"], list["totalCount"])
            }
            for _ in 0..<4 {  // past the third sighting: both texts now run prepared
                let (one, total) = try await read("tier")
                #expect(one?["tier"]?.string == "SILVER" && total == 1)
            }
            // Removing an option moves the column to a new enum type of the same name (a table rewrite).
            (status, json) = try await Support.request(client, .patch, "/rest/metadata/fields/\(tier)", tenant: tenant, body: [
                "options": [["value": "GOLD", "label": "Gold", "position": 0], ["value": "SILVER", "label": "Silver", "position": 1]],
            ])
            #expect(status == .ok, "\(json)")
            for _ in 0..<4 {
                let (one, total) = try await read("tier")
                #expect(one?["tier"]?.string == "SILVER" && total == 1)
            }
            // A new field and a renamed one change the texts: served at once.
            (status, json) = try await Support.request(client, .post, "/rest/metadata/fields", tenant: tenant, body: [
                "objectMetadataId": company, "type": "TEXT", "name": "motto", "label": "Motto",
            ])
            #expect(status == .created, "\(json)")
            (status, json) = try await Support.request(client, .patch, "/rest/metadata/fields/\(tier)", tenant: tenant, body: ["name": "level"])
            #expect(status == .ok, "\(json)")
            for _ in 0..<4 {
                let (one, total) = try await read("level")
                #expect(one?["level"]?.string == "SILVER" && one?["tier"] == nil && one?["motto"] != nil && total == 1, "\(String(describing: one))")
            }
        }
    }
}

/// ``PreparedStatements`` seen from a test: the names it gives a text over repeated sightings.
struct PreparedStatementsProbe {
    let statements: PreparedStatements
    init(limit: Int) { statements = PreparedStatements(limit: limit) }
    func names(for sql: String, times: Int) -> [String?] { (0..<times).map { _ in statements.name(for: sql) } }
}
