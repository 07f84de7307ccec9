import NIOCore

/// The log events travel on from the outbox to their consumers: append-only, read by named consumer groups, each entry
/// acknowledged once handled, and entries a dead consumer held claimed by another. Redis Streams implement it
/// (`RedisEventStream` in AtriumRedisAdapters).
public protocol EventStream: Sendable {
    /// Appends events (their JSON, with their ids), in order.
    func append(_ events: [OutboxEvent]) async throws
    /// Creates `group` (reading from the start of the stream) unless it exists.
    func createGroup(_ group: String) async throws
    /// The next entries for `consumer` of `group`: first its own unacknowledged ones when `pending`, else new ones. It
    /// does not wait for entries to arrive (a blocking read would hold a connection that other callers share).
    func read(group: String, consumer: String, pending: Bool, count: Int) async throws -> [StreamedEvent]
    /// Takes over entries of `group` left unacknowledged for `idle` or longer (their consumer died or hangs).
    func claimAbandoned(group: String, consumer: String, idle: Duration, count: Int) async throws -> [StreamedEvent]
    /// Marks entries of `group` handled.
    func acknowledge(group: String, entries: [String]) async throws
    /// How far `group` is behind: entries not yet delivered plus delivered and unacknowledged, and the age of the oldest
    /// of them in seconds (0 when none).
    func backlog(group: String) async throws -> (entries: Int, oldestAgeSeconds: Double)
}

/// An event on its way from the outbox to the stream: its outbox position and its JSON (``RecordEvent``'s).
public struct OutboxEvent: Sendable {
    public var position: Int
    public var json: ByteBuffer

    public init(position: Int, json: ByteBuffer) {
        self.position = position
        self.json = json
    }
}

/// An event read from the stream: its entry id (for acknowledging) and its JSON.
public struct StreamedEvent: Sendable {
    public var entry: String
    public var json: ByteBuffer

    public init(entry: String, json: ByteBuffer) {
        self.entry = entry
        self.json = json
    }
}
