import CLibpq
import Foundation
import Synchronization

/// A prototype statement path on libpq's asynchronous API in pipeline mode, to measure it beside postgres-nio.
///
/// One thread owns every connection and waits in `poll(2)` on their sockets and on a wake-up pipe. Callers enqueue a
/// request and await its continuation; the thread sends queued requests on the connection with the fewest in flight
/// (`PQsendQueryPrepared`, one `PQpipelineSync` per batch), reads results as they arrive and resumes each caller with
/// its one text value. Each connection prepares the one statement before entering pipeline mode.
final class LibpqPipeline: Sendable {
    private struct Request: @unchecked Sendable {
        let parameter: String
        let continuation: CheckedContinuation<String?, any Error>
    }

    /// The state only the poll thread touches.
    private final class Connection: @unchecked Sendable {
        let handle: OpaquePointer
        var inFlight: [Request] = []
        var head = 0
        /// A query's result was read; its terminating NULL is next.
        var awaitingEnd = false
        var syncsPending = 0

        init(handle: OpaquePointer) { self.handle = handle }

        var pending: Int { inFlight.count - head }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let queue = Mutex<[Request]>([])
    private let connections: [Connection]
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    /// Opens `count` connections to `url` and prepares `statement` (one text parameter, one text column) on each.
    init(url: String, count: Int, statement: String) throws {
        var connections: [Connection] = []
        for _ in 0..<count {
            guard let handle = PQconnectdb(url), PQstatus(handle) == CONNECTION_OK else {
                throw Failure(description: "libpq could not connect")
            }
            let prepared = PQprepare(handle, "s", statement, 1, nil)
            defer { PQclear(prepared) }
            guard PQresultStatus(prepared) == PGRES_COMMAND_OK else {
                throw Failure(description: "PQprepare: " + String(cString: PQerrorMessage(handle)))
            }
            guard PQsetnonblocking(handle, 1) == 0, PQenterPipelineMode(handle) == 1 else {
                throw Failure(description: "libpq could not enter pipeline mode")
            }
            connections.append(Connection(handle: handle))
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw Failure(description: "pipe failed") }
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        self.connections = connections
        self.wakeRead = fds[0]
        self.wakeWrite = fds[1]
        let thread = Thread { [self] in self.loop() }
        thread.name = "libpq-pipeline"
        thread.start()
    }

    /// Runs the prepared statement with `parameter`; returns the first row's first column.
    func text(_ parameter: String) async throws -> String? {
        try await withCheckedThrowingContinuation { continuation in
            let wasEmpty = queue.withLock { queue in
                queue.append(Request(parameter: parameter, continuation: continuation))
                return queue.count == 1
            }
            if wasEmpty { wake() }
        }
    }

    /// Stops the thread and closes the connections (pending requests fail).
    func close() {
        stopping.store(true, ordering: .releasing)
        wake()
        while !finished.load(ordering: .acquiring) { usleep(1000) }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func loop() {
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        for connection in connections { fds.append(pollfd(fd: PQsocket(connection.handle), events: Int16(POLLIN), revents: 0)) }
        var drain = [UInt8](repeating: 0, count: 256)
        while !stopping.load(ordering: .acquiring) {
            for index in connections.indices {
                fds[index + 1].events = Int16(POLLIN) | (PQflush(connections[index].handle) == 1 ? Int16(POLLOUT) : 0)
            }
            guard poll(&fds, nfds_t(fds.count), -1) >= 0 else { continue }
            if fds[0].revents != 0 { _ = read(wakeRead, &drain, drain.count) }
            send(queue.withLock { queue in defer { queue.removeAll(keepingCapacity: true) }; return queue })
            for (index, connection) in connections.enumerated() where fds[index + 1].revents & Int16(POLLIN) != 0 {
                receive(on: connection)
            }
        }
        for connection in connections {
            for request in connection.inFlight[connection.head...] {
                request.continuation.resume(throwing: Failure(description: "closed"))
            }
            PQfinish(connection.handle)
        }
        for request in queue.withLock({ $0 }) { request.continuation.resume(throwing: Failure(description: "closed")) }
        finished.store(true, ordering: .releasing)
    }

    private func send(_ requests: [Request]) {
        guard !requests.isEmpty else { return }
        var touched = Set<Int>()
        for request in requests {
            let index = connections.indices.min { connections[$0].pending < connections[$1].pending } ?? 0
            let connection = connections[index]
            let sent = request.parameter.withCString { value -> Int32 in
                var values: [UnsafePointer<CChar>?] = [value]
                return PQsendQueryPrepared(connection.handle, "s", 1, &values, nil, nil, 0)
            }
            guard sent == 1 else {
                request.continuation.resume(throwing: Failure(description: String(cString: PQerrorMessage(connection.handle))))
                continue
            }
            connection.inFlight.append(request)
            touched.insert(index)
        }
        for index in touched {
            let connection = connections[index]
            if PQpipelineSync(connection.handle) == 1 { connection.syncsPending += 1 }
            _ = PQflush(connection.handle)
        }
    }

    private func receive(on connection: Connection) {
        guard PQconsumeInput(connection.handle) == 1 else {
            fail(connection, String(cString: PQerrorMessage(connection.handle)))
            return
        }
        while PQisBusy(connection.handle) == 0 {
            if !connection.awaitingEnd, connection.pending == 0, connection.syncsPending == 0 { break }
            guard let result = PQgetResult(connection.handle) else {
                if connection.awaitingEnd {
                    connection.awaitingEnd = false
                    continue
                }
                break
            }
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            if status == PGRES_PIPELINE_SYNC {
                connection.syncsPending -= 1
                continue
            }
            guard connection.pending > 0 else { continue }
            let request = connection.inFlight[connection.head]
            connection.head += 1
            if connection.head > 1024 {
                connection.inFlight.removeFirst(connection.head)
                connection.head = 0
            }
            connection.awaitingEnd = true
            if status == PGRES_TUPLES_OK {
                let value = PQntuples(result) > 0 && PQgetisnull(result, 0, 0) == 0 ? String(cString: PQgetvalue(result, 0, 0)) : nil
                request.continuation.resume(returning: value)
            } else {
                request.continuation.resume(throwing: Failure(description: String(cString: PQresultErrorMessage(result))))
            }
        }
    }

    private func fail(_ connection: Connection, _ message: String) {
        for request in connection.inFlight[connection.head...] { request.continuation.resume(throwing: Failure(description: message)) }
        connection.inFlight.removeAll()
        connection.head = 0
    }
}
