import AtriumTestSupport
import Foundation

/// Launches the `atrium` binary built beside the tests.
enum AtriumProcess {
    /// The `atrium` executable built next to this test bundle.
    static var binary: URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("atrium")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return TestEnvironment.packageRoot.appendingPathComponent(".build/debug/atrium")
    }

    /// Starts `atrium arguments…` with the test environment plus `overrides`; output goes to the returned pipes.
    static func launch(_ arguments: [String], environment overrides: [String: String]) throws -> Process {
        try launchCapturing(arguments, environment: overrides).process
    }

    /// Like ``launch(_:environment:)``, also returning stdout and stderr pipes.
    static func launchCapturing(_ arguments: [String], environment overrides: [String: String]) throws -> (process: Process, output: Pipe, errors: Pipe) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["ATRIUM_CONFIG_FILE"] = TestEnvironment.packageRoot.appendingPathComponent("config/defaults.json").path
        environment["APP_SECRET"] = TestEnvironment.appSecret
        for (key, value) in overrides { environment[key] = value }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, output, errors)
    }

    /// Waits until `process` exits; false when it is still running after `limit`.
    static func waitForExit(_ process: Process, within limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            if ContinuousClock.now > deadline { return false }
            try await Task.sleep(for: .milliseconds(50))
        }
        return true
    }
}
