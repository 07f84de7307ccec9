import AtriumTestSupport
import Foundation
import Testing

/// `atrium import` loads a CSV file into a workspace from the command line: the report as JSON, a second run updating,
/// a refused file or unknown object failing with one line.
@Suite(.tags(.integration)) struct ImportCLIProcessTests {
    struct Created: Decodable { let id: String }
    struct Report: Decodable { let status: String, createdCount: Int, updatedCount: Int, failedCount: Int }

    @Test func aFileIsImportedThenUpdatedAndBadInputFails() async throws {
        try await TestDatabase.withFreshCore { _, settings in
            let environment = ["PG_DATABASE_URL": SyntheticWorkspaces.url(for: settings), "LOG_LEVEL": "error"]
            let created = try await APIKeyProcessTests.atrium(["workspace", "create", "--name", "Imports", "--json"], environment: environment)
            #expect(created.status == 0, "\(created.errors)")
            let workspace = try JSONDecoder().decode(Created.self, from: Data(created.output.utf8)).id
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("atrium-import-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: file) }
            try "Name,Domain Name,Employees\nAcme,acme.example,10\nBeta,beta.example,oops\n".write(to: file, atomically: true, encoding: .utf8)

            let first = try await APIKeyProcessTests.atrium(["import", "--workspace", workspace, "--object", "companies", file.path], environment: environment)
            #expect(first.status == 0, "\(first.errors)")
            let report = try JSONDecoder().decode(Report.self, from: Data(first.output.utf8))
            #expect(report.status == "COMPLETED" && report.createdCount == 1 && report.failedCount == 1, "\(first.output)")
            let again = try await APIKeyProcessTests.atrium(["import", "--workspace", workspace, "--object", "companies", file.path], environment: environment)
            #expect(try JSONDecoder().decode(Report.self, from: Data(again.output.utf8)).updatedCount == 1, "\(again.output)")

            let atomic = try await APIKeyProcessTests.atrium(["import", "--workspace", workspace, "--object", "companies", "--atomic", file.path], environment: environment)
            #expect(atomic.status != 0, "a refused row with --atomic fails")
            let unknown = try await APIKeyProcessTests.atrium(["import", "--workspace", workspace, "--object", "widgets", file.path], environment: environment)
            #expect(unknown.status == 1)
            #expect(unknown.errors.contains("no object 'widgets'"), "\(unknown.errors)")
        }
    }
}
