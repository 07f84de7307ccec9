import AtriumCore
import Synchronization

/// A clock a test moves forward by hand: hand its ``time`` to the type under test, then ``advance(by:)`` past a TTL
/// instead of sleeping through it.
public final class ManualClock: Sendable {
    private let lead = Mutex(Duration.zero)

    public init() {}

    /// The system clocks plus everything ``advance(by:)`` has added.
    public var time: TimeSource {
        .ahead { [self] in lead.withLock { $0 } }
    }

    /// Moves this clock's time `duration` forward.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "a clock only moves forward")
        lead.withLock { $0 += duration }
    }
}
