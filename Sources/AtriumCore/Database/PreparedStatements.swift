import NIOCore
import PostgresNIO
import Synchronization

/// Which statement texts run as named prepared statements: the ones a process keeps sending.
///
/// A record read is one statement whose text depends only on the workspace, the object, the selection and the role
/// (values are bound), so the same texts come back on every request. Prepared, PostgreSQL parses and plans each once
/// per connection instead of on every request (planning alone was 0.05 ms of a findOne and 0.8 ms of a 60-record page
/// with its relations).
///
/// **Admission.** A text is admitted on its ``admissionSightings``-th sighting within a review window, while fewer
/// than `limit` texts are admitted: a prepared statement lives on its connection, so the limit is what each connection
/// may hold.
///
/// **Eviction, by generations.** A process serving many workspaces sends more hot texts than the limit, and which
/// ones are hot changes. Every `window` statements the window's counts are reviewed: when the `limit` texts run most in
/// it would have covered at least ``minimumGain`` of its statements more than the admitted ones did, a new generation
/// begins and admits exactly those. Names carry their generation (`atrium_<generation>_<n>`), so a name is never
/// reused for another text. A connection that last ran a statement of an older generation drops its prepared
/// statements (`DEALLOCATE ALL`, once, before its next prepared statement): each connection holds at most `limit`
/// texts. postgres-nio still believes the dropped names prepared, which is harmless: they are never sent again.
/// Generations begin at most once per `minimumInterval`, and a uniform spread of more hot texts than the limit does
/// not churn: the best texts then cover no more than the admitted ones.
public final class PreparedStatements: Sendable {
    /// Sightings within a window after which a text is prepared.
    static let admissionSightings = 3
    /// The most distinct texts counted per window; texts first seen past it are not counted in that window.
    static let countedTexts = 8192
    /// The share of a window's statements a new generation must add to the prepared ones to begin.
    static let minimumGain = 0.1
    /// Connections remembered with their generation; past it, every connection not remembered clears once.
    static let rememberedConnections = 10_000

    /// A text to run as a prepared statement: its name and the generation that admitted it.
    public struct Use: Sendable, Equatable {
        public let name: String
        public let generation: UInt64
    }

    /// What is known of one text: its runs in the current window, and its name once this generation admitted it.
    private struct Text {
        var runs = 0
        var name: String?
    }

    private struct State {
        var generation: UInt64 = 1
        /// The texts counted in this window or admitted by this generation: one lookup of the (long) text per statement.
        var texts: [String: Text] = [:]
        /// How many of ``texts`` this generation admitted.
        var admitted = 0
        var windowRuns = 0
        var generationBegan = ContinuousClock.now
        /// The generation each connection last ran a prepared statement of.
        var connections: [ObjectIdentifier: UInt64] = [:]
        /// Set once ``rememberedConnections`` was exceeded: a connection not remembered may then hold old statements.
        var forgotConnections = false
    }

    /// The most texts prepared at once on one connection (0: none).
    public let limit: Int
    /// Statements per review window.
    let window: Int
    /// The shortest time between two generations.
    let minimumInterval: Duration
    private let state = Mutex(State())

    /// - Parameters:
    ///   - limit: The most texts prepared at once on one connection (0: none).
    ///   - window: Statements between two reviews (at least 2 × `limit`).
    ///   - minimumInterval: The shortest time between two generations.
    public init(limit: Int, window: Int = 20_000, minimumInterval: Duration = .seconds(5)) {
        self.limit = max(0, limit)
        self.window = max(window, 2 * max(0, limit), 1)
        self.minimumInterval = minimumInterval
    }

    /// How `sql` runs now: as the named prepared statement of the current generation, or unprepared (nil).
    public func use(for sql: String) -> Use? {
        guard limit > 0 else { return nil }
        return state.withLock { state in
            state.windowRuns += 1
            let (generation, admitted, limit) = (state.generation, state.admitted, limit)
            /// Counts a run of the text and admits it when it is due.
            func run(_ text: inout Text) -> (use: Use?, admitted: Bool) {
                text.runs += 1
                if let name = text.name { return (Use(name: name, generation: generation), false) }
                guard admitted < limit, text.runs >= Self.admissionSightings else { return (nil, false) }
                let name = "atrium_\(generation)_\(admitted + 1)"
                text.name = name
                return (Use(name: name, generation: generation), true)
            }
            let outcome: (use: Use?, admitted: Bool)
            if state.texts.count < Self.countedTexts + limit {
                outcome = run(&state.texts[sql, default: Text()])
            } else if state.texts[sql] != nil {
                outcome = run(&state.texts[sql]!)
            } else {
                outcome = (nil, false)  // too many texts this window: not counted
            }
            if outcome.admitted { state.admitted += 1 }
            if state.windowRuns >= window { review(&state) }
            return outcome.use
        }
    }

    /// Ends a window: begins a generation when the window's most-run texts beat the admitted ones by enough.
    private func review(_ state: inout State) {
        defer {
            // The next window counts afresh; only the admitted texts are kept.
            state.texts = state.texts.filter { $0.value.name != nil }.mapValues { Text(runs: 0, name: $0.name) }
            state.windowRuns = 0
        }
        guard state.admitted >= limit, state.generationBegan.duration(to: .now) >= minimumInterval else { return }
        let admittedRuns = state.texts.values.reduce(0) { $0 + ($1.name == nil ? 0 : $1.runs) }
        let best = state.texts.filter { $0.value.runs >= Self.admissionSightings }.sorted { $0.value.runs > $1.value.runs }.prefix(limit)
        let bestRuns = best.reduce(0) { $0 + $1.value.runs }
        guard Double(bestRuns - admittedRuns) >= Self.minimumGain * Double(state.windowRuns) else { return }
        state.generation += 1
        let generation = state.generation
        for key in state.texts.keys { state.texts[key]?.name = nil }
        for (index, entry) in best.enumerated() { state.texts[entry.key]?.name = "atrium_\(generation)_\(index + 1)" }
        state.admitted = best.count
        state.generationBegan = .now
    }

    /// Whether `connection` must drop its prepared statements (`DEALLOCATE ALL`) before it runs `use`: it last ran a
    /// statement of an older generation. Records that it runs `use`'s generation from now on.
    func mustClear(_ connection: PostgresConnection, before use: Use) -> Bool {
        state.withLock { state in
            let id = ObjectIdentifier(connection)
            let last = state.connections[id]
            if last == use.generation { return false }
            if last == nil, state.connections.count >= Self.rememberedConnections {
                state.connections.removeAll(keepingCapacity: true)
                state.forgotConnections = true
            }
            state.connections[id] = use.generation
            guard let last else { return state.forgotConnections }
            return last < use.generation
        }
    }

    /// The number of texts the current generation admitted.
    public var admitted: Int { state.withLock { $0.admitted } }

    /// The current generation (1 until the first eviction).
    public var generation: UInt64 { state.withLock { $0.generation } }
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
