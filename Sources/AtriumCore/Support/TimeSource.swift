import Foundation

/// Where Atrium's expiries and intervals read the time: cache TTLs, revalidation intervals, token expiry.
///
/// Production code uses ``system``. A test uses a source that runs ahead of the system clocks by an amount it sets
/// (``ahead(by:)``), so it checks what happens when a TTL passes by moving the time, not by sleeping through it. The
/// source only ever adds to the system's time, so real time keeps passing in tests as well.
public struct TimeSource: Sendable {
    private let lead: (@Sendable () -> Duration)?

    private init(lead: (@Sendable () -> Duration)?) {
        self.lead = lead
    }

    /// The system clocks.
    public static let system = TimeSource(lead: nil)

    /// The system clocks plus what `lead` returns at each reading (which must never decrease).
    public static func ahead(by lead: @escaping @Sendable () -> Duration) -> TimeSource {
        TimeSource(lead: lead)
    }

    /// The monotonic time, for intervals and TTLs.
    public var now: ContinuousClock.Instant {
        guard let lead else { return .now }
        return .now + lead()
    }

    /// The wall-clock time, for expiry dates such as a token's `exp`.
    public var date: Date {
        guard let lead else { return Date() }
        let (seconds, attoseconds) = lead().components
        return Date().addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
    }
}
