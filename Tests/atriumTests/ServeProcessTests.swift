import AtriumTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Runs the real `atrium` binary: configuration errors and the graceful-shutdown contract.
@Suite(.tags(.integration)) struct ServeProcessTests {
    @Test func invalidSettingPrintsOneLineAndExitsNonZero() async throws {
        let (process, _, errors) = try AtriumProcess.launchCapturing(["serve"], environment: [
            "PG_DATABASE_URL": try TestEnvironment.required("PG_DATABASE_URL"),
            "REDIS_URL": try TestEnvironment.required("REDIS_URL"),
            "PORT": "not-a-port",
        ])
        #expect(try await AtriumProcess.waitForExit(process, within: .seconds(20)))
        #expect(process.terminationStatus == 1)
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text == "atrium: invalid configuration: PORT must be an integer from 0 to 65535 (got \"not-a-port\")\n")
    }

    @Test func sigtermStopsAServingProcessWithExitZero() async throws {
        let port = Int.random(in: 20000..<40000)
        let process = try AtriumProcess.launch(["serve"], environment: [
            "PG_DATABASE_URL": try TestEnvironment.required("PG_DATABASE_URL"),
            "REDIS_URL": try TestEnvironment.required("REDIS_URL"),
            "PORT": String(port), "HOST": "127.0.0.1", "LOG_LEVEL": "warning",
        ])
        defer { if process.isRunning { process.terminate() } }
        var served = false
        for _ in 0..<200 where !served {
            try await Task.sleep(for: .milliseconds(100))
            if let (_, response) = try? await AtriumProcess.fetch(URL(string: "http://127.0.0.1:\(port)/livez")!, within: .seconds(5)),
               (response as? HTTPURLResponse)?.statusCode == 200 {
                served = true
            }
        }
        #expect(served, "atrium serve never answered /livez")
        kill(process.processIdentifier, SIGTERM)
        #expect(try await AtriumProcess.waitForExit(process, within: .seconds(8)), "did not stop within 8 s of SIGTERM")
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}
