import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// `GET /rest/<plural>/export` streams Twenty's CSV: its columns and cells, a view's columns and filters, the caller's
/// permissions, and many pages of rows.
@Suite(.tags(.integration)) struct CSVExportTests {
    /// Workspaces whose restricted role may read every record but has no `EXPORT_CSV` flag.
    static func run(count: Int = 1, _ body: @Sendable ([PermissionsTestWorkspace]) async throws -> Void) async throws {
        try await PermissionsTestWorkspace.run(count: count, setup: { setup in
            try await setup.roles.create(setup.workspace, RoleInput(label: "Reader", canReadAllObjectRecords: true), logger: RESTTestWorkspace.logger).id
        }, body)
    }

    /// The lines of a CSV answer (none of these hold a line break inside a cell).
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    @Test func companiesExportWithTwentysColumnsAndCells() async throws {
        try await Self.run { workspaces in
            let ws = workspaces[0].admin
            let created = try await ws.post("/rest/companies", #"""
                {"name": "=HYPERLINK(\"x\")", "employees": 42, "idealCustomerProfile": true,
                 "domainName": {"primaryLinkUrl": "https://acme.example", "secondaryLinks": [{"url": "https://b.example", "label": "b"}]},
                 "annualRecurringRevenue": {"amountMicros": 1500000, "currencyCode": "EUR"},
                 "address": {"addressCity": "Paris, France", "addressLat": 48.85, "addressStreet1": "Say \"hi\""}}
                """#)
            #expect(created.status == .created, "\(created.body)")
            let id = try #require(created.body["data"]?["createCompany"]?["id"]?.string)
            let answer = try await ws.sendText(.get, "/rest/companies/export")
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(answer.headers[.contentDisposition] == "attachment; filename=\"companies.csv\"")
            let lines = Self.lines(answer.text)
            #expect(lines.count == 2, "\(answer.text)")
            let header = lines[0].split(separator: ",").map(String.init)
            #expect(header.first == "Id")
            for label in ["Name", "Employees", "Domain Name / Link URL", "Domain Name / Secondary Links", "ARR / Amount", "ARR / Currency",
                          "Address / City", "Address / Latitude", "Account Owner Id", "Created by / Source", "Creation date"] {
                #expect(header.contains(label), "\(label) in \(header)")
            }
            #expect(!header.contains("People"), "one-to-many relations have no column")
            #expect(header.firstIndex(of: "Address / State")! < header.firstIndex(of: "Address / Post Code")!, "Twenty's property order")
            let row = lines[1]
            #expect(row.hasPrefix(id + ","))
            #expect(row.contains(",\"\u{200D}=HYPERLINK(\"\"x\"\")\","), "injection guard and quoting: \(row)")
            #expect(row.contains(",42,"))
            #expect(row.contains(",true,"))
            #expect(row.contains(",1.5,EUR,"), "amounts from micros: \(row)")
            #expect(row.contains(",\"Paris, France\","))
            #expect(row.contains(",48.85,"))
            #expect(row.contains(",\"Say \"\"hi\"\"\","))
            #expect(row.contains("\"[{\"\"url\"\": \"\"https://b.example\"\", \"\"label\"\": \"\"b\"\"}]\""), "JSON sub-fields as JSON: \(row)")
            let createdAt = try #require(created.body["data"]?["createCompany"]?["createdAt"]?.string)
            #expect(row.contains("," + createdAt + ","), "date-times as the API renders them: \(row)")
        }
    }

    @Test func aViewChoosesColumnsFiltersAndOrder() async throws {
        try await Self.run { workspaces in
            let ws = workspaces[0].admin
            let company = workspaces[0].schema.object(named: "company")!
            for (name, employees) in [("Alpha", 10), ("Beta", 200), ("Gamma", 300)] {
                _ = try await ws.post("/rest/companies", #"{"name": "\#(name)", "employees": \#(employees)}"#)
            }
            let view = try #require(try await ws.post("/rest/metadata/views", #"{"name": "Big", "objectMetadataId": "\#(company.id.lowercased)", "icon": "IconList"}"#).body["id"]?.string)
            for (position, name) in ["employees", "name"].enumerated() {
                let field = company.field(named: name)!.id.lowercased
                _ = try await ws.post("/rest/metadata/viewFields", #"{"viewId": "\#(view)", "fieldMetadataId": "\#(field)", "position": \#(position)}"#)
            }
            let hidden = company.field(named: "idealCustomerProfile")!.id.lowercased
            _ = try await ws.post("/rest/metadata/viewFields", #"{"viewId": "\#(view)", "fieldMetadataId": "\#(hidden)", "position": 5, "isVisible": false}"#)
            _ = try await ws.post("/rest/metadata/viewFilters", #"{"viewId": "\#(view)", "fieldMetadataId": "\#(company.field(named: "employees")!.id.lowercased)", "operand": "GREATER_THAN_OR_EQUAL", "value": "100"}"#)
            _ = try await ws.post("/rest/metadata/viewSorts", #"{"viewId": "\#(view)", "fieldMetadataId": "\#(company.field(named: "employees")!.id.lowercased)", "direction": "DESC"}"#)

            let answer = try await ws.sendText(.get, "/rest/companies/export?viewId=\(view)")
            #expect(answer.status == .ok, "\(answer.text)")
            let lines = Self.lines(answer.text)
            #expect(lines.first == "Id,Employees,Name")
            #expect(lines.dropFirst().map { $0.split(separator: ",").dropFirst().joined(separator: ",") } == ["300,Gamma", "200,Beta"])
            // The request's filter and order narrow and reorder a view, as on find-many.
            let filtered = try await ws.sendText(.get, "/rest/companies/export?viewId=\(view)&filter=name[eq]:Beta")
            #expect(Self.lines(filtered.text).count == 2)
            let all = try await ws.sendText(.get, "/rest/companies/export?order_by=employees[AscNullsFirst]&filter=employees[gte]:1")
            #expect(Self.lines(all.text).dropFirst().map { $0.contains(",Alpha,") } == [true, false, false])

            // A view of another workspace is not found; a bad filter is a 400 before anything streams.
            let otherCompany = workspaces[0].schema.object(named: "person")!
            let personView = try #require(try await ws.post("/rest/metadata/views", #"{"name": "P", "objectMetadataId": "\#(otherCompany.id.lowercased)", "icon": "IconList"}"#).body["id"]?.string)
            #expect(try await ws.sendText(.get, "/rest/companies/export?viewId=\(personView)").status == .badRequest)
            #expect(try await ws.sendText(.get, "/rest/companies/export?filter=employees[gte]:many").status == .badRequest)
            #expect(try await ws.sendText(.get, "/rest/companies/export?filter=nope[eq]:1").status == .badRequest)
        }
    }

    @Test func exportNeedsTheExportCSVFlag() async throws {
        try await Self.run { workspaces in
            let refused = try await workspaces[0].restricted.sendText(.get, "/rest/companies/export")
            #expect(refused.status == .forbidden, "\(refused.text)")
        }
    }

    @Test func exportHidesUnreadableFieldsAndOtherWorkspaces() async throws {
        try await PermissionsTestWorkspace.run(count: 2, setup: { setup in
            let role = try await setup.roles.create(setup.workspace, RoleInput(label: "Exporter", canReadAllObjectRecords: true), logger: RESTTestWorkspace.logger).id
            try await setup.roles.upsertPermissionFlags(setup.workspace, roleID: role, [.exportCSV], logger: RESTTestWorkspace.logger)
            try await setup.roles.upsertFieldPermissions(setup.workspace, roleID: role, [
                FieldPermissionInput(objectMetadataId: setup.object("company").id, fieldMetadataId: setup.field("company", "employees").id, canReadFieldValue: false),
            ], logger: RESTTestWorkspace.logger)
            return role
        }) { workspaces in
            let (ws, other) = (workspaces[0], workspaces[1])
            _ = try await ws.admin.post("/rest/companies", #"{"name": "Mine", "employees": 7}"#)
            _ = try await other.admin.post("/rest/companies", #"{"name": "Theirs"}"#)
            let allowed = try await ws.restricted.sendText(.get, "/rest/companies/export")
            #expect(allowed.status == .ok, "\(allowed.text)")
            let lines = Self.lines(allowed.text)
            #expect(lines.first?.split(separator: ",").contains("Name") == true)
            #expect(lines.first?.split(separator: ",").contains("Employees") == false, "an unreadable field has no column")
            #expect(lines.count == 2 && lines[1].contains(",Mine,"), "only the caller's workspace: \(lines)")
            #expect(try await ws.restricted.sendText(.get, "/rest/companies/export?order_by=employees").status == .forbidden)
            #expect(try await ws.restricted.sendText(.get, "/rest/companies/export?filter=employees[gte]:1").status == .forbidden)
        }
    }

    @Test func manyPagesStreamInOrder() async throws {
        try await Self.run { workspaces in
            let ws = workspaces[0].admin
            let count = CSVExport.pageSize * 2 + 7
            let schema = workspaces[0].schema.databaseSchema
            try await SharedTestDatabase.withDatabase { database in
                _ = try await database.write(PostgresQuery(unsafeSQL:
                    "INSERT INTO \"\(schema)\".\"company\" (\"name\", \"employees\", \"position\") SELECT 'C' || n, n, n FROM generate_series(1, \(count)) n"),
                    logger: RESTTestWorkspace.logger)
            }
            let answer = try await ws.sendText(.get, "/rest/companies/export?order_by=employees[DescNullsLast]")
            #expect(answer.status == .ok)
            let lines = Self.lines(answer.text)
            #expect(lines.count == count + 1)
            let column = try #require(lines.first?.split(separator: ",").firstIndex(of: "Employees"))
            let employees = lines.dropFirst().map { Int($0.split(separator: ",", omittingEmptySubsequences: false)[column]) }
            #expect(employees == (1...count).reversed().map { $0 })

            // A consumer that stops (a client gone) ends the query: its transaction is rolled back, nothing is left open.
            struct Gone: Error {}
            let company = try #require(workspaces[0].schema.object(named: "company"))
            try await SharedTestDatabase.withDatabase { database in
                let scope = RecordScope(company, in: workspaces[0].schema, access: .unrestricted, actor: .system, logger: RESTTestWorkspace.logger)
                let export = try CSVExport(filter: nil, order: [], fields: nil, in: scope)
                await #expect(throws: Gone.self) { try await export.stream(on: database) { _ in throw Gone() } }
                var open = -1
                for _ in 0..<50 {
                    for try await count in try await database.query("SELECT count(*)::int FROM pg_stat_activity WHERE query LIKE '%atrium_export%' AND pid <> pg_backend_pid() AND state <> 'idle'", logger: RESTTestWorkspace.logger).decode(Int.self) {
                        open = count
                    }
                    if open == 0 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(open == 0, "the export's transaction is over")
            }
        }
    }

    @Test func customObjectsExportTheirFields() async throws {
        try await Self.run { workspaces in
            let ws = workspaces[0].admin
            let object = try await ws.post("/rest/metadata/objects", #"{"nameSingular": "shipment", "namePlural": "shipments", "labelSingular": "Shipment", "labelPlural": "Shipments", "icon": "IconBox"}"#)
            let objectID = try #require(object.body["data"]?["createOneObject"]?["id"]?.string, "\(object.body)")
            for body in [
                #"{"objectMetadataId": "\#(objectID)", "name": "weight", "label": "Weight", "type": "NUMBER"}"#,
                #"{"objectMetadataId": "\#(objectID)", "name": "shippedOn", "label": "Shipped on", "type": "DATE"}"#,
                #"{"objectMetadataId": "\#(objectID)", "name": "tags", "label": "Tags", "type": "MULTI_SELECT", "options": [{"value": "FRAGILE", "label": "Fragile", "color": "red", "position": 0}, {"value": "COLD", "label": "Cold", "color": "blue", "position": 1}]}"#,
            ] {
                let field = try await ws.post("/rest/metadata/fields", body)
                #expect(field.status == .created, "\(field.body)")
            }
            let created = try await ws.post("/rest/shipments", #"{"name": "-5 crates", "weight": 12.5, "shippedOn": "2026-03-04", "tags": ["FRAGILE", "COLD"]}"#)
            #expect(created.status == .created, "\(created.body)")
            let answer = try await ws.sendText(.get, "/rest/shipments/export")
            let lines = Self.lines(answer.text)
            #expect(lines.count == 2, "\(answer.text)")
            let header = lines[0].split(separator: ",").map(String.init)
            let row = lines[1]
            for label in ["Name", "Weight", "Shipped on", "Tags"] { #expect(header.contains(label), "\(header)") }
            #expect(row.contains(",\u{200D}-5 crates,"), "\(row)")
            #expect(row.contains(",12.5,2026-03-04,") || row.contains(",2026-03-04,"), "\(row)")
            #expect(row.contains("\"[\"\"FRAGILE\"\",\"\"COLD\"\"]\""), "multi-select as a JSON array: \(row)")
        }
    }
}
