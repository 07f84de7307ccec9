import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import NIOCore
import PostgresNIO
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

    @Test func aNewGenerationAdmitsTheTextsNowHot() {
        let statements = PreparedStatements(limit: 2, window: 20, minimumInterval: .zero)
        let probe = PreparedStatementsProbe(statements: statements)
        #expect(probe.names(for: "A", times: 3).last! == "atrium_1_1")
        #expect(probe.names(for: "B", times: 3).last! == "atrium_1_2")
        // C and D run most in the rest of the window: at its end they replace A and B, under new names.
        for _ in 0..<6 {
            #expect(probe.names(for: "C", times: 1) == [nil] && probe.names(for: "D", times: 1) == [nil], "the limit is reached")
        }
        #expect(statements.generation == 1)
        _ = probe.names(for: "C", times: 1)
        _ = probe.names(for: "D", times: 1)  // the window's 20th statement
        #expect(statements.generation == 2)
        #expect(Set([probe.names(for: "C", times: 1)[0], probe.names(for: "D", times: 1)[0]]) == ["atrium_2_1", "atrium_2_2"])
        #expect(probe.names(for: "A", times: 1) == [nil], "A was evicted")
    }

    @Test func aUniformSpreadOfMoreTextsThanTheLimitDoesNotChurn() {
        let statements = PreparedStatements(limit: 2, window: 60, minimumInterval: .zero)
        let probe = PreparedStatementsProbe(statements: statements)
        for _ in 0..<50 {
            for text in ["A", "B", "C", "D", "E", "F"] { _ = probe.names(for: text, times: 1) }
        }
        #expect(statements.generation == 1, "no texts beat the admitted ones by the minimum gain")
        #expect(statements.admitted == 2)
    }

    @Test func aConnectionDropsAnOlderGenerationsStatements() async throws {
        var settings = try TestEnvironment.configuration().postgres
        settings.maximumConnections = 1  // one connection: every statement runs on it
        settings.maximumConnectionsPerWorkspace = 1
        let logger = TestTenants.logger
        let statements = PreparedStatements(limit: 2, window: 20, minimumInterval: .zero)
        let database = Database(settings: settings, logger: logger, metricsFactory: DatabaseOperationCounter(), preparedStatements: statements)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            func run(_ letter: String, times: Int) async throws {
                var sql = SQLBuilder()
                sql.append("SELECT '\(letter)'::text")  // one text per letter, each a statement of its own
                for _ in 0..<times {
                    let text = try await database.firstText(sql.query, effect: .reads, logger: logger)
                    #expect(text.map { String(buffer: $0) } == letter)
                }
            }
            func prepared() async throws -> String {
                let rows = try await database.query("SELECT coalesce(string_agg(name, ',' ORDER BY name), '') FROM pg_prepared_statements",
                                                    logger: logger)
                for try await name in rows.decode(String.self) { return name }
                return ""
            }
            try await run("a", times: 3)
            try await run("b", times: 3)
            #expect(try await prepared() == "atrium_1_1,atrium_1_2")
            try await run("c", times: 7)
            try await run("d", times: 7)  // the window's end: c and d make generation 2
            #expect(statements.generation == 2)
            try await run("c", times: 1)
            try await run("d", times: 1)
            let names = try await prepared()
            #expect(names == "atrium_2_1,atrium_2_2", "the connection holds this generation's two texts only")
            try await run("a", times: 2)  // evicted: runs unprepared, and correctly
            #expect(try await prepared() == names)
        }
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
    init(statements: PreparedStatements) { self.statements = statements }
    func names(for sql: String, times: Int) -> [String?] { (0..<times).map { _ in statements.use(for: sql)?.name } }
}
