import NIOCore
import PostgresNIO
import Synchronization

/// Which statement texts run as named prepared statements: the ones a process keeps sending.
///
/// A record read is one statement whose text depends only on the object, the selection and the role (values are
/// bound), so the same few texts come back on every request. Prepared, PostgreSQL parses and plans each once per
/// connection instead of on every request (planning alone was 0.05 ms of a findOne and 0.8 ms of a 60-record page
/// with its relations). A text is admitted on its ``admissionSightings``-th sighting, and at most `limit` texts are
/// ever admitted by a process: a prepared statement lives as long as its connection (postgres-nio keeps no way to
/// close one), so the bound is what each connection may hold. Texts seen once are not kept past
/// ``sightingCapacity``. Admitted texts stay; once the limit is reached, new texts run unprepared.
public final class PreparedStatements: Sendable {
    /// Sightings after which a text is prepared.
    static let admissionSightings = 3
    /// The most texts counted while not admitted; the count starts over past it.
    static let sightingCapacity = 4096

    private struct State {
        var sightings: [String: Int] = [:]
        var names: [String: String] = [:]
    }

    /// The most texts prepared by this process (0: none).
    public let limit: Int
    private let state = Mutex(State())

    public init(limit: Int) {
        self.limit = max(0, limit)
    }

    /// The prepared statement name of `sql`, once the text has been seen often enough; nil to run it unprepared.
    public func name(for sql: String) -> String? {
        guard limit > 0 else { return nil }
        let limit = limit
        return state.withLock { state in
            if let name = state.names[sql] { return name }
            guard state.names.count < limit else { return nil }
            let seen = (state.sightings[sql] ?? 0) + 1
            guard seen >= Self.admissionSightings else {
                if state.sightings.count >= Self.sightingCapacity { state.sightings.removeAll(keepingCapacity: true) }
                state.sightings[sql] = seen
                return nil
            }
            state.sightings[sql] = nil
            let name = "atrium_\(state.names.count + 1)"
            state.names[sql] = name
            return name
        }
    }

    /// The number of texts admitted so far.
    public var admitted: Int { state.withLock { $0.names.count } }
}

/// A statement of one text column (NULL allowed) run as the named prepared statement of ``PreparedStatements``.
///
/// postgres-nio takes a prepared statement's name and text from static members of its type; this type reads them from
/// a task-local value bound around the one `execute` call (``Database/firstText(_:effect:logger:)``), which reads them
/// synchronously on the calling task. Parameter types are inferred from the bindings.
struct TextPreparedStatement: PostgresPreparedStatement {
    struct Text: Sendable {
        let name: String
        let sql: String
    }

    @TaskLocal static var current: Text?

    static var name: String { current?.name ?? "" }
    static var sql: String { current?.sql ?? "" }

    /// The text's bytes as the row holds them: no UTF-8 decoding, no copy.
    typealias Row = ByteBuffer?
    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> ByteBuffer? { try row.decode(ByteBuffer?.self) }
}
