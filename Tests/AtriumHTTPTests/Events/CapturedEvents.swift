import AtriumCore
import Foundation
import NIOCore
import Synchronization

/// An ``EventStream`` that keeps what is appended, for tests that check the events a relay renders.
final class CapturedEvents: EventStream {
    private let appended = Mutex<[RecordEvent]>([])

    /// The events appended so far, in order.
    var events: [RecordEvent] { appended.withLock { $0 } }

    func append(_ events: [OutboxEvent]) async throws {
        let decoded = try events.map { try RecordEvent(json: $0.json.readableBytesView) }
        appended.withLock { $0 += decoded }
    }

    func createGroup(_ group: String) async throws {}
    func read(group: String, consumer: String, pending: Bool, count: Int) async throws -> [StreamedEvent] { [] }
    func claimAbandoned(group: String, consumer: String, idle: Duration, count: Int) async throws -> [StreamedEvent] { [] }
    func acknowledge(group: String, entries: [String]) async throws {}
    func backlog(group: String) async throws -> (entries: Int, oldestAgeSeconds: Double) { (0, 0) }
}
