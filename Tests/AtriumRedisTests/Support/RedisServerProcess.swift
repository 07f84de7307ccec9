import Foundation

/// A `redis-server` (found on PATH) started by a test on its own port, without persistence.
final class RedisServerProcess: @unchecked Sendable {
    let port: Int
    private var process: Process?
    private let lock = NSLock()

    init(port: Int) { self.port = port }

    /// A server on a free port, started and accepting connections.
    static func started() async throws -> RedisServerProcess {
        let server = RedisServerProcess(port: try await FreePort.find())
        try await server.start()
        return server
    }

    /// Starts the server and waits until it accepts connections.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["redis-server", "--port", "\(self.port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.lock.withLock { self.process = process }
        // Wait for the port to accept connections (at most ~5 s).
        for _ in 0..<100 {
            if Self.canConnect(port: self.port) { return }
            guard process.isRunning else { throw MissingService(message: "redis-server exited at start (port \(self.port) taken?)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw MissingService(message: "redis-server did not start listening on port \(self.port)")
    }

    /// Kills the server with SIGKILL (an abrupt failure) and waits for it to exit. Safe to call twice.
    func kill() {
        let process = self.lock.withLock { () -> Process? in
            defer { self.process = nil }
            return self.process
        }
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Freezes the server (SIGSTOP): connections stay open and connects still succeed (the kernel accepts them), but
    /// nothing is answered, as when Redis hangs.
    func pause() { self.signal(SIGSTOP) }

    /// Lets a paused server run again (SIGCONT).
    func resume() { self.signal(SIGCONT) }

    private func signal(_ signal: Int32) {
        guard let process = self.lock.withLock({ self.process }), process.isRunning else { return }
        Foundation.kill(process.processIdentifier, signal)
    }

    deinit { self.kill() }

    private static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}
