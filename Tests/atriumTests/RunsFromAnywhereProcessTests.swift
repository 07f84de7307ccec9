import AtriumTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The built `atrium` copied alone to an empty folder runs `upgrade` and `serve` with nothing but environment
/// variables: its defaults and upgrade commands are embedded in it.
@Suite(.tags(.integration)) struct RunsFromAnywhereProcessTests {
    @Test func aLoneBinaryUpgradesAnEmptyDatabaseAndServes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atrium-anywhere-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lone = folder.appendingPathComponent("atrium")
        try FileManager.default.copyItem(at: AtriumProcess.binary, to: lone)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["atrium"])
        let placement = AtriumProcess.Placement(executable: lone, workingDirectory: folder, embeddedFilesOnly: true)

        try await TestDatabase.withFresh { _, settings in
            let environment = ["PG_DATABASE_URL": SyntheticWorkspaces.url(for: settings), "LOG_LEVEL": "error"]
            let (upgrade, _, errors) = try AtriumProcess.launchCapturing(["upgrade"], environment: environment, placement: placement)
            let upgradeErrors = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(try await AtriumProcess.waitForExit(upgrade, within: .seconds(120)))
            #expect(upgrade.terminationStatus == 0, "\(upgradeErrors)")
            #expect(upgradeErrors.contains("result: up to date"), "\(upgradeErrors)")

            let (server, base) = try await AtriumProcess.serve(environment: environment, placement: placement)
            defer { if server.isRunning { server.terminate() } }
            let (body, response) = try await AtriumProcess.fetch(URL(string: "\(base)/healthz")!, within: .seconds(10))
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: body, as: UTF8.self))")
            kill(server.processIdentifier, SIGTERM)
            #expect(try await AtriumProcess.waitForExit(server, within: .seconds(10)))
        }
    }
}
