import CLibpq
import Foundation
import Logging
import NIOCore
import Synchronization

/// A statement that failed on ``LibpqStatementPath``: the server's error fields, or (no SQLSTATE) a connection lost,
/// refused or silent past its bound. ``DatabaseFailure`` reads it as it reads postgres-nio's errors.
public struct LibpqStatementError: Error, Sendable, CustomStringConvertible {
    public let sqlState: String?
    public let message: String
    public let constraint: String?
    public let column: String?

    init(sqlState: String?, message: String, constraint: String? = nil, column: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.constraint = constraint
        self.column = column
    }

    /// A connection lost or not answering.
    static func lost(_ message: String) -> LibpqStatementError { LibpqStatementError(sqlState: nil, message: message) }

    public var description: String { "\(sqlState ?? "connection"): \(message)" }
}

/// Record reads on libpq's asynchronous API in pipeline mode (`PG_READ_CLIENT=libpq`), beside postgres-nio.
///
/// One thread owns a few connections and waits in `poll(2)` on their sockets and on a wake-up pipe (NIO offers no way to
/// watch a socket it does not read itself). Callers queue a statement and await their continuation; the thread sends
/// each queued statement on the connection with the fewest in flight — preparing it first there when
/// ``PreparedStatements`` names it — in a pipeline segment of its own (`PQpipelineSync`: a failing statement aborts
/// only its own segment, never another request's statement), flushes once per batch, reads results as they arrive, and
/// resumes each caller with its one text value as bytes. So statements from many requests share a connection's round
/// trips, and no Swift task, pool lease or channel hop stands between a request and its statement.
///
/// Bounds: each connection runs with the pool's `statement_timeout`; a connection whose oldest statement goes unanswered
/// past that plus the grace is closed and its statements fail as lost (503, tried again once for reads); a lost
/// connection is opened again on demand, at most every half second.
public final class LibpqStatementPath: Sendable {
    private enum Waiter {
        /// A caller awaiting the first text value.
        case caller(CheckedContinuation<ByteBuffer?, any Error>)
        /// A statement of the path's own (a `PREPARE` named so, or `DEALLOCATE ALL`) whose result is not returned.
        case own(preparing: String?)
    }

    private struct Request: @unchecked Sendable {
        let sql: String
        let parameters: LibpqParameters
        let prepared: PreparedStatements.Use?
        let continuation: CheckedContinuation<ByteBuffer?, any Error>
    }

    /// One connection, touched only by the thread.
    private final class Slot: @unchecked Sendable {
        var handle: OpaquePointer?
        var waiting: [(waiter: Waiter, since: ContinuousClock.Instant)] = []
        var head = 0
        var prepared: Set<String> = []
        /// The prepared-statement generation this connection holds names of.
        var generation: UInt64 = 0
        /// A statement's result was read; its terminating NULL comes next.
        var awaitingEnd = false
        var syncsPending = 0
        /// The error that aborted the rest of the current pipeline segment (a failed `PREPARE`).
        var abortedBy: LibpqStatementError?
        var lastAttempt: ContinuousClock.Instant?

        var pending: Int { waiting.count - head }
    }

    private let conninfo: String
    private let answerLimit: Duration
    private let logger: Logger
    private let queue = Mutex<[Request]>([])
    private let slots: [Slot]
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let started = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    /// Prepares the path; its thread starts, and its connections open, on the first statement (a process that never
    /// reads records, such as most CLI commands, has neither).
    /// - Parameters:
    ///   - settings: Where to connect, the pool's `statement_timeout` and grace.
    ///   - connections: How many connections the thread keeps.
    public init(settings: PostgresSettings, connections: Int, logger: Logger) throws {
        func quoted(_ value: String) -> String {
            "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        var parts = [
            "host=\(quoted(settings.host))", "port=\(settings.port)", "user=\(quoted(settings.username))",
            "dbname=\(quoted(settings.database))", "connect_timeout=2", "application_name='atrium-libpq'",
            "options=\(quoted("-c statement_timeout=\(PostgresSettings.milliseconds(settings.statementTimeout))"))",
            "sslmode=\(settings.sslMode.rawValue)",  // libpq's names for the modes are PG_DATABASE_URL's
        ]
        if let password = settings.password { parts.append("password=\(quoted(password))") }
        self.conninfo = parts.joined(separator: " ")
        self.answerLimit = settings.statementTimeout + settings.statementGrace
        self.logger = logger
        self.slots = (0..<max(1, connections)).map { _ in Slot() }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw LibpqStatementError.lost("pipe() failed") }
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        self.wakeRead = fds[0]
        self.wakeWrite = fds[1]
    }

    /// Starts the thread, once.
    private func startIfNeeded() {
        guard !started.load(ordering: .acquiring),
              started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        let thread = Thread { [self] in self.loop() }
        thread.name = "atrium-libpq"
        thread.start()
    }

    /// Runs `sql` with `values` and returns the first column of its first row as bytes (nil: no row, or NULL).
    /// - Parameter prepared: The prepared statement's name, when ``PreparedStatements`` admitted the text.
    public func firstText(_ sql: String, values: [SQLValue], prepared: PreparedStatements.Use?) async throws -> ByteBuffer? {
        guard !stopping.load(ordering: .acquiring) else { throw LibpqStatementError.lost("The server is shutting down") }
        let parameters = LibpqParameters(values)
        startIfNeeded()
        return try await withCheckedThrowingContinuation { continuation in
            let first = queue.withLock { queue in
                queue.append(Request(sql: sql, parameters: parameters, prepared: prepared, continuation: continuation))
                return queue.count == 1
            }
            if first { wake() }
        }
    }

    /// Stops the thread and closes the connections; statements in flight fail as lost.
    public func shutdown() {
        stopping.store(true, ordering: .releasing)
        // A thread that never started has nothing to finish (one starting now sees `stopping` and ends at once).
        if started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            finished.store(true, ordering: .releasing)
        }
        wake()
        while !finished.load(ordering: .acquiring) { usleep(1000) }
        close(wakeRead)
        close(wakeWrite)
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: - The thread

    private func loop() {
        var drain = [UInt8](repeating: 0, count: 512)
        var fds: [pollfd] = []
        while !stopping.load(ordering: .acquiring) {
            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            var polled: [Int] = []
            for (index, slot) in slots.enumerated() {
                guard let handle = slot.handle else { continue }
                let unsent = PQflush(handle) == 1
                fds.append(pollfd(fd: PQsocket(handle), events: Int16(POLLIN) | (unsent ? Int16(POLLOUT) : 0), revents: 0))
                polled.append(index)
            }
            let ready = poll(&fds, nfds_t(fds.count), 100)
            if ready < 0 { continue }
            if fds[0].revents != 0 { _ = read(wakeRead, &drain, drain.count) }
            send(queue.withLock { queue in
                defer { queue.removeAll(keepingCapacity: true) }
                return queue
            })
            for (position, index) in polled.enumerated() {
                let revents = fds[position + 1].revents
                guard revents != 0, slots[index].handle != nil else { continue }
                if revents & Int16(POLLIN | POLLERR | POLLHUP) != 0 { receive(slots[index]) }
            }
            closeSilent()
        }
        for slot in slots { drop(slot, LibpqStatementError.lost("The server is shutting down")) }
        for request in queue.withLock({ $0 }) { request.continuation.resume(throwing: LibpqStatementError.lost("The server is shutting down")) }
        finished.store(true, ordering: .releasing)
    }

    /// Opens `slot`'s connection if it has none and its last attempt was over half a second ago.
    private func connect(_ slot: Slot) {
        guard slot.handle == nil else { return }
        let now = ContinuousClock.now
        if let last = slot.lastAttempt, now - last < .milliseconds(500) { return }
        slot.lastAttempt = now
        guard let handle = PQconnectdb(conninfo) else { return }
        guard PQstatus(handle) == CONNECTION_OK, PQsetnonblocking(handle, 1) == 0, PQenterPipelineMode(handle) == 1 else {
            logger.warning("libpq connection failed", metadata: ["error": "\(String(cString: PQerrorMessage(handle)))"])
            PQfinish(handle)
            return
        }
        slot.handle = handle
        slot.prepared = []
        slot.generation = 0
    }

    private func send(_ requests: [Request]) {
        guard !requests.isEmpty else { return }
        var touched = Set<Int>()
        for request in requests {
            for slot in slots where slot.handle == nil { connect(slot) }
            guard let index = slots.indices.filter({ slots[$0].handle != nil }).min(by: { slots[$0].pending < slots[$1].pending }),
                  let handle = slots[index].handle
            else {
                request.continuation.resume(throwing: LibpqStatementError.lost("No database connection"))
                continue
            }
            let slot = slots[index]
            let now = ContinuousClock.now
            var name: String?
            if let use = request.prepared {
                if use.generation > slot.generation {
                    if !slot.prepared.isEmpty, PQsendQueryParams(handle, "DEALLOCATE ALL", 0, nil, nil, nil, nil, 0) == 1 {
                        slot.waiting.append((.own(preparing: nil), now))
                    }
                    slot.prepared = []
                    slot.generation = use.generation
                }
                if use.generation == slot.generation {
                    name = use.name
                    if !slot.prepared.contains(use.name) {
                        let types = request.parameters.types
                        if PQsendPrepare(handle, use.name, request.sql, Int32(types.count), types) == 1 {
                            slot.waiting.append((.own(preparing: use.name), now))
                            slot.prepared.insert(use.name)
                        } else {
                            name = nil
                        }
                    }
                }
            }
            let sent = request.parameters.withArrays { values, lengths, formats -> Int32 in
                if let name {
                    return PQsendQueryPrepared(handle, name, Int32(request.parameters.types.count), values, lengths, formats, 0)
                }
                let types = request.parameters.types
                return PQsendQueryParams(handle, request.sql, Int32(types.count), types, values, lengths, formats, 0)
            }
            guard sent == 1 else {
                request.continuation.resume(throwing: LibpqStatementError.lost(String(cString: PQerrorMessage(handle))))
                continue
            }
            slot.waiting.append((.caller(request.continuation), now))
            // Each request ends its own pipeline segment: a statement that fails aborts the rest of its segment, which
            // must never be another request's statement.
            if PQpipelineSync(handle) == 1 { slot.syncsPending += 1 }
            touched.insert(index)
        }
        for index in touched {
            guard let handle = slots[index].handle else { continue }
            _ = PQflush(handle)
        }
    }

    private func receive(_ slot: Slot) {
        guard let handle = slot.handle else { return }
        guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else {
            drop(slot, .lost(String(cString: PQerrorMessage(handle))))
            return
        }
        while PQisBusy(handle) == 0 {
            if !slot.awaitingEnd, slot.pending == 0, slot.syncsPending == 0 { break }
            guard let result = PQgetResult(handle) else {
                if slot.awaitingEnd {
                    slot.awaitingEnd = false
                    continue
                }
                break
            }
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            if status == PGRES_PIPELINE_SYNC {
                slot.syncsPending -= 1
                slot.abortedBy = nil
                continue
            }
            guard slot.pending > 0 else { continue }
            let (waiter, _) = slot.waiting[slot.head]
            slot.head += 1
            if slot.head >= 256 {
                slot.waiting.removeFirst(slot.head)
                slot.head = 0
            }
            slot.awaitingEnd = true
            switch waiter {
            case .own(let preparing):
                if status == PGRES_FATAL_ERROR {
                    let error = Self.error(of: result)
                    slot.abortedBy = error
                    if let preparing { slot.prepared.remove(preparing) }
                }
            case .caller(let continuation):
                switch status {
                case PGRES_TUPLES_OK:
                    guard PQntuples(result) > 0, PQgetisnull(result, 0, 0) == 0, let value = PQgetvalue(result, 0, 0) else {
                        continuation.resume(returning: nil)
                        break
                    }
                    let length = Int(PQgetlength(result, 0, 0))
                    continuation.resume(returning: ByteBuffer(bytes: UnsafeRawBufferPointer(start: value, count: length)))
                case PGRES_COMMAND_OK:
                    continuation.resume(returning: nil)
                case PGRES_PIPELINE_ABORTED:
                    continuation.resume(throwing: slot.abortedBy ?? LibpqStatementError(sqlState: "XX000", message: "The statement's pipeline was aborted"))
                default:
                    continuation.resume(throwing: Self.error(of: result))
                }
            }
        }
    }

    /// Closes every connection whose oldest statement has gone unanswered past the bound.
    private func closeSilent() {
        let now = ContinuousClock.now
        for slot in slots where slot.pending > 0 && now - slot.waiting[slot.head].since > answerLimit {
            drop(slot, .lost("The database did not answer in time"))
        }
    }

    /// Closes `slot`'s connection and fails what waits on it.
    private func drop(_ slot: Slot, _ error: LibpqStatementError) {
        for (waiter, _) in slot.waiting[slot.head...] {
            if case .caller(let continuation) = waiter { continuation.resume(throwing: error) }
        }
        slot.waiting.removeAll()
        slot.head = 0
        slot.awaitingEnd = false
        slot.syncsPending = 0
        slot.abortedBy = nil
        if let handle = slot.handle { PQfinish(handle) }
        slot.handle = nil
    }

    private static func error(of result: OpaquePointer) -> LibpqStatementError {
        func field(_ code: Int32) -> String? { PQresultErrorField(result, code).map { String(cString: $0) } }
        let state = field(Int32(UInt8(ascii: "C")))
        return LibpqStatementError(sqlState: state ?? "XX000", message: field(Int32(UInt8(ascii: "M"))) ?? "Statement failed",
                                   constraint: field(Int32(UInt8(ascii: "n"))), column: field(Int32(UInt8(ascii: "c"))))
    }
}
