import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Logging
import PostgresNIO
import Testing

/// `POST /rest/<plural>/import`: an export imports back unchanged; upserts match by id or a unique field; relations
/// by id or a unique field of the target; dry runs, atomic runs and bad files; large files queued for the worker.
@Suite(.tags(.integration)) struct CSVImportTests {
    /// Sends `csv` to the import route and decodes the JSON answer.
    static func importCSV(_ ws: RESTTestWorkspace, _ plural: String, _ csv: String, _ query: String = "") async throws -> (status: HTTPResponse.Status, body: JSONValue) {
        let answer = try await ws.sendText(.post, "/rest/\(plural)/import\(query.isEmpty ? "" : "?" + query)", body: csv)
        let json = answer.text.isEmpty ? JSONValue.null : try JSONDecoder().decode(JSONValue.self, from: Data(answer.text.utf8))
        return (answer.status, json)
    }

    /// An export's rows (parsed), without the columns the server sets on every write, sorted.
    static func comparable(_ csv: String) throws -> [[String]] {
        var reader = try CSVReader(bytes: Array(csv.utf8))
        let dropped = Set(reader.header.indices.filter { ["Creation date", "Last update", "Updated by / Source", "Updated by / Name", "Updated by / Workspace Member"].contains(reader.header[$0]) })
        var rows: [[String]] = []
        while let row = try reader.nextRow() {
            rows.append(row.cells.enumerated().filter { !dropped.contains($0.offset) }.map(\.element))
        }
        return rows.sorted { $0.joined(separator: ",") < $1.joined(separator: ",") }
    }

    @Test func anExportImportsBackUnchangedAndAgainAsUpdates() async throws {
        try await RESTTestWorkspace.run(count: 2) { workspaces in
            let (source, target) = (workspaces[0], workspaces[1])
            let acme = try await source.post("/rest/companies", #"""
                {"name": "=Acme, Inc.", "employees": 42, "idealCustomerProfile": true,
                 "domainName": {"primaryLinkUrl": "https://acme.example", "secondaryLinks": [{"url": "https://b.example", "label": "b"}]},
                 "annualRecurringRevenue": {"amountMicros": 1500000, "currencyCode": "EUR"},
                 "address": {"addressCity": "Paris", "addressLat": 48.85, "addressStreet1": "1 \"Main\" St\nFloor 2"}}
                """#)
            let acmeID = try #require(acme.body["data"]?["createCompany"]?["id"]?.string, "\(acme.body)")
            _ = try await source.post("/rest/companies", #"{"name": "Beta", "domainName": {"primaryLinkUrl": "https://beta.example"}}"#)
            let person = try await source.post("/rest/people", #"{"name": {"firstName": "Ada", "lastName": "Lovelace"}, "emails": {"primaryEmail": "ada@acme.example", "additionalEmails": ["a@b.example"]}, "companyId": "\#(acmeID)", "city": "London"}"#)
            #expect(person.status == .created, "\(person.body)")

            let companies = try await source.sendText(.get, "/rest/companies/export").text
            let people = try await source.sendText(.get, "/rest/people/export").text
            var imported = try await Self.importCSV(target, "companies", companies)
            #expect(imported.status == .ok, "\(imported.body)")
            #expect(imported.body["data"]?["import"]?["status"] == "COMPLETED")
            #expect(imported.body["data"]?["import"]?["createdCount"] == 2, "\(imported.body)")
            #expect(imported.body["data"]?["import"]?["failedCount"] == 0)
            #expect(imported.body["data"]?["import"]?["skippedColumns"]?.array?.contains("Creation date") == true)
            imported = try await Self.importCSV(target, "people", people)
            #expect(imported.body["data"]?["import"]?["createdCount"] == 1, "\(imported.body)")
            let reexported = try await target.sendText(.get, "/rest/companies/export").text
            #expect(try Self.comparable(reexported) == Self.comparable(companies), "\(reexported)\n---\n\(companies)")
            #expect(try Self.comparable(try await target.sendText(.get, "/rest/people/export").text) == Self.comparable(people))

            // Importing the same file again updates: nothing is duplicated.
            imported = try await Self.importCSV(target, "companies", companies)
            #expect(imported.body["data"]?["import"]?["createdCount"] == 0)
            #expect(imported.body["data"]?["import"]?["updatedCount"] == 2, "\(imported.body)")
            #expect(try await target.get("/rest/companies").body["totalCount"] == 2)
        }
    }

    @Test func upsertsMatchUniqueFieldsAndRelationsTakeATargetsUniqueField() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let acme = try await ws.post("/rest/companies", #"{"name": "Acme", "employees": 5, "domainName": {"primaryLinkUrl": "acme.example"}}"#)
            let acmeID = try #require(acme.body["data"]?["createCompany"]?["id"]?.string)
            let csv = "Domain Name / Link URL,Name,Employees\nacme.example,Acme Corp,\nnew.example,Newco,12\n"
            let answer = try await Self.importCSV(ws, "companies", csv)
            #expect(answer.body["data"]?["import"]?["createdCount"] == 1, "\(answer.body)")
            #expect(answer.body["data"]?["import"]?["updatedCount"] == 1)
            let updated = try await ws.get("/rest/companies/\(acmeID)")
            #expect(updated.body["data"]?["company"]?["name"] == "Acme Corp")
            #expect(updated.body["data"]?["company"]?["employees"] == 5, "an empty cell keeps the value")
            #expect(updated.body["data"]?["company"]?["updatedBy"]?["source"] == "IMPORT")
            let events = try await SharedTestDatabase.withDatabase { database in
                var names: [String] = []
                let rows = try await database.query(PostgresQuery(unsafeSQL:
                    "SELECT \"name\" FROM core.\"eventOutbox\" WHERE \"workspaceId\" = '\(ws.id.lowercased)' ORDER BY \"name\""), logger: Logger(label: "test"))
                for try await name in rows.decode(String.self) { names.append(name) }
                return names
            }
            #expect(events.filter { $0 == "company.created" }.count == 2, "one event per imported record, with the write: \(events)")
            #expect(events.filter { $0 == "company.updated" }.count == 1)

            // People by the company's domain, and by field names rather than labels.
            let people = "name.firstName,name.lastName,emails.primaryEmail,company.domainName\nGrace,Hopper,grace@acme.example,acme.example\nAlan,Turing,alan@x.example,nowhere.example\n"
            let result = try await Self.importCSV(ws, "people", people)
            #expect(result.body["data"]?["import"]?["createdCount"] == 1, "\(result.body)")
            #expect(result.body["data"]?["import"]?["failedCount"] == 1)
            let refused = try #require(result.body["data"]?["import"]?["errors"]?.array?.first)
            #expect(refused["row"] == 2)
            #expect(refused["line"] == 3)
            #expect(refused["value"] == "nowhere.example")
            let grace = try await ws.get("/rest/people?filter=emails.primaryEmail[eq]:grace@acme.example")
            #expect(grace.body["data"]?["people"]?[0]?["companyId"]?.string == acmeID, "\(grace.body)")
            #expect(grace.body["data"]?["people"]?[0]?["createdBy"]?["source"] == "IMPORT")

            // Re-importing by primary email updates Grace.
            let again = try await Self.importCSV(ws, "people", "Emails / Primary Email,City\ngrace@acme.example,Arlington\n")
            #expect(again.body["data"]?["import"]?["updatedCount"] == 1, "\(again.body)")
            // Without upsert an existing key is refused.
            let strict = try await Self.importCSV(ws, "people", "Emails / Primary Email,City\ngrace@acme.example,Paris\n", "upsert=false")
            #expect(strict.body["data"]?["import"]?["failedCount"] == 1, "\(strict.body)")
            // Two rows with the same key: the second is refused.
            let twice = try await Self.importCSV(ws, "companies", "Name,Domain Name\nOne,dup.example\nTwo,dup.example\n")
            #expect(twice.body["data"]?["import"]?["createdCount"] == 1, "\(twice.body)")
            #expect(twice.body["data"]?["import"]?["errors"]?[0]?["message"] == "Same Domain Name / Link URL as row 1")
        }
    }

    @Test func dryRunsReportAndAtomicRunsWriteNothing() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let csv = "Name,Employees,ICP,Creation date\nGood,10,yes,\nBad,ten,maybe,\nFine,,false,\n"
            let dry = try await Self.importCSV(ws, "companies", csv, "dryRun=true")
            #expect(dry.status == .ok)
            let report = try #require(dry.body["data"]?["import"])
            #expect(report["status"] == "VALIDATED")
            #expect(report["createdCount"] == 2)
            #expect(report["failedCount"] == 1)
            let errors = report["errors"]?.array ?? []
            #expect(errors.count == 2, "one entry per bad cell: \(errors)")
            #expect(errors.first?["column"] == "Employees")
            #expect(errors.first?["value"] == "ten")
            #expect(errors.first?["line"] == 3)
            #expect(errors.last?["message"]?.string?.contains("maybe") == true)
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 0, "a dry run writes nothing")

            let atomic = try await Self.importCSV(ws, "companies", csv, "atomic=true")
            #expect(atomic.status == .badRequest)
            #expect(atomic.body["data"]?["import"]?["status"] == "FAILED")
            #expect(atomic.body["messages"]?[0]?.string?.contains("nothing was imported") == true)
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 0)

            let partial = try await Self.importCSV(ws, "companies", csv)
            #expect(partial.body["data"]?["import"]?["createdCount"] == 2)
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 2)
        }
    }

    @Test func badFilesGetAClear400() async throws {
        try await RESTTestWorkspace.run(configuration: ["CSV_IMPORT_MAX_BYTES": "2048"]) { workspaces in
            let ws = workspaces[0]
            func refusal(_ csv: String, _ query: String = "") async throws -> String {
                let answer = try await Self.importCSV(ws, "companies", csv, query)
                #expect(answer.status == .badRequest, "\(csv): \(answer.body)")
                return answer.body["messages"]?[0]?.string ?? ""
            }
            #expect(try await refusal("Name,Employees\n\"Acme,10\n").contains("Line 2"))
            #expect(try await refusal("Name,Employees\nAcme,10,extra\n").contains("Line 2"))
            #expect(try await refusal("Name,Name\nA,B\n").contains("Duplicate column 'Name'"))
            #expect(try await refusal("Name,Colour\nA,red\n").contains("Unknown column 'Colour'"))
            #expect(try await refusal(String(repeating: "x", count: 3000)).contains("CSV_IMPORT_MAX_BYTES"))
            #expect(try await refusal("Name\nA\n", "mapping=nope").contains("mapping"))
            #expect(try await refusal("Name\nA\n", "dryRun=perhaps").contains("dryRun"))
            #expect(try await refusal("").contains("empty"))
            // UTF-16 is refused; Latin-1 is read.
            let utf16 = try await ws.client.execute(uri: "/rest/companies/import", method: .post,
                                                    headers: [.authorization: "Bearer \(ws.token)", .contentType: "text/csv"],
                                                    body: ByteBuffer(bytes: [0xFF, 0xFE] + Array("Name\nA\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })) { $0.status }
            #expect(utf16 == .badRequest)
            let latin1 = try await ws.client.execute(uri: "/rest/companies/import", method: .post,
                                                     headers: [.authorization: "Bearer \(ws.token)", .contentType: "text/csv"],
                                                     body: ByteBuffer(bytes: Array("Name\nCaf".utf8) + [0xE9] + Array("\n".utf8))) { $0.status }
            #expect(latin1 == .ok)
            #expect(try await ws.get("/rest/companies?filter=name[eq]:Caf%C3%A9").body["totalCount"] == 1)
        }
    }

    @Test func mappingsAndMultipartBodies() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let mapping = #"{"Company":"name","Staff":"employees","Notes":null}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let mapped = try await Self.importCSV(ws, "companies", "Company,Staff,Notes\nMapped,7,ignore me\n", "mapping=\(mapping)")
            #expect(mapped.body["data"]?["import"]?["createdCount"] == 1, "\(mapped.body)")
            #expect(mapped.body["data"]?["import"]?["skippedColumns"] == ["Notes"])

            let boundary = "atrium-boundary"
            let form = "--\(boundary)\r\nContent-Disposition: form-data; name=\"dryRun\"\r\n\r\ntrue\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"companies.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + "Name,Employees\r\nFrom form,3\r\n\r\n--\(boundary)--\r\n"
            let answer = try await ws.sendText(.post, "/rest/companies/import", body: form, contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.text.contains("\"status\":\"VALIDATED\""))
            #expect(answer.text.contains("\"createdCount\":1"))
        }
    }

    @Test func importNeedsTheImportCSVFlag() async throws {
        try await CSVExportTests.run { workspaces in
            let answer = try await Self.importCSV(workspaces[0].restricted, "companies", "Name\nA\n")
            #expect(answer.status == .forbidden, "\(answer.body)")
        }
    }

    @Test func largeFilesAreQueuedForTheWorkerWithProgressAndCancellation() async throws {
        try await RESTTestWorkspace.run(count: 2, configuration: ["CSV_IMPORT_SYNC_MAX_ROWS": "5"]) { workspaces in
            let (ws, other) = (workspaces[0], workspaces[1])
            let csv = "Name,Employees\n" + (1...12).map { "Queued \($0),\($0)" }.joined(separator: "\n") + "\nBroken,lots\n"
            let queued = try await Self.importCSV(ws, "companies", csv)
            #expect(queued.status == .accepted, "\(queued.body)")
            let id = try #require(queued.body["data"]?["import"]?["id"]?.string)
            #expect(queued.body["data"]?["import"]?["status"] == "QUEUED")
            #expect(queued.body["data"]?["import"]?["failedCount"] == 1, "rows refused while staging are reported at once")
            // Another workspace cannot read or cancel it.
            #expect(try await other.get("/rest/companies/imports/\(id)").status == .notFound)
            #expect(try await other.delete("/rest/companies/imports/\(id)").status == .notFound)

            let report = try await Self.runJobs(until: id, ws: ws)
            #expect(report["status"] == "COMPLETED", "\(report)")
            #expect(report["rowsDone"] == 13)
            #expect(report["createdCount"] == 12)
            #expect(report["failedCount"] == 1)
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 12)
            #expect(try await ws.delete("/rest/companies/imports/\(id)").status == .badRequest, "an ended import cannot be cancelled")

            // A cancelled import writes nothing more.
            let second = try await Self.importCSV(ws, "companies", "Name\n" + (1...8).map { "Later \($0)" }.joined(separator: "\n"))
            let secondID = try #require(second.body["data"]?["import"]?["id"]?.string)
            let cancelled = try await ws.delete("/rest/companies/imports/\(secondID)")
            #expect(cancelled.body["data"]?["import"]?["status"] == "CANCELLED", "\(cancelled.body)")
            _ = try await Self.runJobs(until: secondID, ws: ws)
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 12)
        }
    }

    @Test func aQueuedImportLeftByADeadWorkerGoesOnWhereItStopped() async throws {
        try await RESTTestWorkspace.run(configuration: ["CSV_IMPORT_SYNC_MAX_ROWS": "5"]) { workspaces in
            let ws = workspaces[0]
            let queued = try await Self.importCSV(ws, "companies", "Name\n" + (1...12).map { "Row \($0)" }.joined(separator: "\n"))
            let id = try #require(queued.body["data"]?["import"]?["id"]?.string, "\(queued.body)")
            // What a worker that died after committing rows 1–5 leaves: RUNNING, progress 5, its lease run out.
            try await SharedTestDatabase.withDatabase { database in
                _ = try await database.write(PostgresQuery(unsafeSQL:
                    "UPDATE core.\"csvImport\" SET \"status\" = 'RUNNING', \"rowsDone\" = 5, \"leaseUntil\" = now() - interval '1 second' WHERE \"id\" = '\(id)'"),
                    logger: Logger(label: "test"))
            }
            let report = try await Self.runJobs(until: id, ws: ws)
            #expect(report["status"] == "COMPLETED", "\(report)")
            #expect(report["createdCount"] == 7, "rows 6–12 only: \(report)")
            let names = try await ws.get("/rest/companies?limit=50").body["data"]?["companies"]?.array?.compactMap { $0["name"]?.string } ?? []
            #expect(Set(names) == Set((6...12).map { "Row \($0)" }))
        }
    }

    @Test func customObjectsImportTheirExport() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let object = try await ws.post("/rest/metadata/objects", #"{"nameSingular": "parcel", "namePlural": "parcels", "labelSingular": "Parcel", "labelPlural": "Parcels", "icon": "IconBox"}"#)
            let objectID = try #require(object.body["data"]?["createOneObject"]?["id"]?.string, "\(object.body)")
            for body in [
                #"{"objectMetadataId": "\#(objectID)", "name": "weight", "label": "Weight", "type": "NUMBER"}"#,
                #"{"objectMetadataId": "\#(objectID)", "name": "sentOn", "label": "Sent on", "type": "DATE"}"#,
                #"{"objectMetadataId": "\#(objectID)", "name": "tags", "label": "Tags", "type": "MULTI_SELECT", "options": [{"value": "FRAGILE", "label": "Fragile", "color": "red", "position": 0}, {"value": "COLD", "label": "Cold", "color": "blue", "position": 1}]}"#,
            ] {
                #expect(try await ws.post("/rest/metadata/fields", body).status == .created)
            }
            _ = try await ws.post("/rest/parcels", #"{"name": "Box", "weight": 2.5, "sentOn": "2026-01-02", "tags": ["COLD"]}"#)
            let export = try await ws.sendText(.get, "/rest/parcels/export").text
            let again = try await Self.importCSV(ws, "parcels", export)
            #expect(again.body["data"]?["import"]?["updatedCount"] == 1, "\(again.body)")
            let added = try await Self.importCSV(ws, "parcels", "Name,Weight,Sent on,Tags\nCrate,10,2026-02-03,\"Fragile, cold\"\nBad,1,2026-02-30,\n")
            #expect(added.body["data"]?["import"]?["createdCount"] == 1, "\(added.body)")
            #expect(added.body["data"]?["import"]?["errors"]?[0]?["column"] == "Sent on")
            let crate = try await ws.get("/rest/parcels?filter=name[eq]:Crate")
            #expect(crate.body["data"]?["parcels"]?[0]?["tags"] == ["FRAGILE", "COLD"], "\(crate.body)")
            #expect(crate.body["data"]?["parcels"]?[0]?["sentOn"] == "2026-02-03")
        }
    }

    /// Runs queued imports as the worker does (in ranges of 5 rows) until `id` has ended; its report.
    static func runJobs(until id: String, ws: RESTTestWorkspace) async throws -> JSONValue {
        try await SharedTestDatabase.withDatabase { database in
            var logger = Logger(label: "test.csv-import")
            logger.logLevel = .error
            var jobs = CSVImportJobs(database: database, metadata: WorkspaceSchemaCache(database: database, store: nil, logger: logger),
                                     recordsEvents: true, logger: logger)
            jobs.rangeSize = 5
            var report = JSONValue.null
            for _ in 0..<200 {
                _ = try await jobs.runNext()
                report = try await ws.get("/rest/companies/imports/\(id)").body["data"]?["import"] ?? .null
                if let status = report["status"]?.string, !["QUEUED", "RUNNING"].contains(status) { return report }
                try await Task.sleep(for: .milliseconds(50))
            }
            return report
        }
    }
}
