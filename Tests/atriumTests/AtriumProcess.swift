import AtriumTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Launches the `atrium` binary built beside the tests.
enum AtriumProcess {
    /// The `atrium` executable built next to this test bundle.
    static var binary: URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("atrium")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return TestEnvironment.packageRoot.appendingPathComponent(".build/debug/atrium")
    }

    /// Where and how a child runs, when not as the built binary in the test's folder.
    struct Placement {
        /// The executable (default: ``binary``).
        var executable: URL?
        /// The child's working folder (default: the test's).
        var workingDirectory: URL?
        /// Run on what the binary embeds: no `ATRIUM_CONFIG_FILE` and no `ATRIUM_MIGRATIONS_DIR` in its environment.
        var embeddedFilesOnly = false

        static let standard = Placement()
    }

    /// Starts `atrium arguments…` with the test environment plus `overrides`; output goes to the returned pipes.
    static func launch(_ arguments: [String], environment overrides: [String: String], placement: Placement = .standard) throws -> Process {
        try launchCapturing(arguments, environment: overrides, placement: placement).process
    }

    /// Like ``launch(_:environment:placement:)``, also returning stdout and stderr pipes.
    static func launchCapturing(
        _ arguments: [String], environment overrides: [String: String], placement: Placement = .standard
    ) throws -> (process: Process, output: Pipe, errors: Pipe) {
        let process = Process()
        process.executableURL = placement.executable ?? binary
        process.arguments = arguments
        if let folder = placement.workingDirectory { process.currentDirectoryURL = folder }
        var environment = ProcessInfo.processInfo.environment
        if placement.embeddedFilesOnly {
            environment["ATRIUM_CONFIG_FILE"] = nil
            environment["ATRIUM_MIGRATIONS_DIR"] = nil
        } else {
            environment["ATRIUM_CONFIG_FILE"] = TestEnvironment.packageRoot.appendingPathComponent("config/defaults.json").path
        }
        environment["APP_SECRET"] = TestEnvironment.appSecret
        // No spare schemas unless a test asks: a process replenishing the standard set drops the spares other tests
        // keep for their own object sets in the shared database (SpareSchemaPoolTests).
        environment["WORKSPACE_SPARE_SCHEMAS"] = "0"
        // A parallel test run can take seconds to lease a connection; the bound itself is tested elsewhere.
        environment["PG_POOL_ACQUIRE_TIMEOUT_MS"] = "30000"
        environment["PG_STATEMENT_TIMEOUT_MS"] = "120000"
        for (key, value) in overrides { environment[key] = value }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, output, errors)
    }

    /// `atrium serve` on a free loopback port, with the test Redis and `environment`, once it answers `/livez`.
    /// - Throws: ``NotServing`` when it does not answer within 20 s (the process is stopped then).
    static func serve(environment: [String: String], placement: Placement = .standard) async throws -> (process: Process, base: String) {
        var environment = environment
        if environment["REDIS_URL"] == nil { environment["REDIS_URL"] = try TestEnvironment.required("REDIS_URL") }
        environment["HOST"] = "127.0.0.1"
        let port = try freePort()
        environment["PORT"] = String(port)
        let process = try launch(["serve"], environment: environment, placement: placement)
        let base = "http://127.0.0.1:\(port)"
        for _ in 0..<200 {
            try await Task.sleep(for: .milliseconds(100))
            if let (_, response) = try? await AtriumProcess.fetch(URL(string: "\(base)/livez")!, within: .seconds(5)),
               (response as? HTTPURLResponse)?.statusCode == 200 { return (process, base) }
            if !process.isRunning { break }
        }
        if process.isRunning { process.terminate() }
        throw NotServing(port: port)
    }

    /// `atrium serve` did not answer.
    struct NotServing: Error, CustomStringConvertible {
        let port: Int
        var description: String { "atrium serve never answered /livez on port \(port)" }
    }

    /// A TCP port nobody listens on now (the kernel's pick).
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        guard bound else { return Int.random(in: 20000..<40000) }
        return Int(UInt16(bigEndian: address.sin_port))
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
