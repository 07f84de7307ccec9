/// API rate limits: token buckets that refill `perCaller` (or `perWorkspace`) tokens per `window`.
///
/// Set by `API_RATE_LIMITING_LONG_TTL_IN_MS` and `API_RATE_LIMITING_LONG_LIMIT` (Twenty's names; per API key or
/// user) and `API_RATE_LIMITING_WORKSPACE_LIMIT` (all callers of a workspace together). A limit of 0 turns it off.
public struct RateLimitSettings: Sendable, Hashable {
    public var window: Duration
    public var perCaller: Int
    public var perWorkspace: Int

    public init(window: Duration, perCaller: Int, perWorkspace: Int) {
        self.window = window
        self.perCaller = perCaller
        self.perWorkspace = perWorkspace
    }
}
