import ServiceLifecycle

/// Sleeps for `duration`, or less when graceful shutdown begins (or the task is cancelled), for the loops of
/// long-running services that must stop promptly on SIGTERM.
public func pauseUnlessShuttingDown(_ duration: Duration) async {
    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
}

/// Exponential pauses from 100 ms to 5 s between attempts at something unavailable.
public struct Backoff: Sendable {
    private var attempt = 0

    public init() {}

    /// The next pause.
    public mutating func next() -> Duration {
        defer { attempt += 1 }
        return .milliseconds(min(5_000, 100 << min(attempt, 6)))
    }

    /// Pauses for ``next()``, less on graceful shutdown.
    public mutating func pause() async {
        await pauseUnlessShuttingDown(next())
    }
}
