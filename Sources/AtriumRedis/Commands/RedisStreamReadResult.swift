/// The entries `XREADGROUP` returned for one stream.
public struct RedisStreamReadResult: Sendable, Hashable {
    /// The stream key.
    public var stream: String
    /// The entries, oldest first.
    public var entries: [RedisStreamEntry]
}

/// The reply of `XAUTOCLAIM`.
public struct RedisAutoClaimResult: Sendable, Hashable {
    /// The ID to pass as `start` to continue the scan; `0-0` when the scan is complete.
    public var nextStart: String
    /// The entries now owned by the claiming consumer.
    public var entries: [RedisStreamEntry]
    /// IDs that were pending but no longer exist in the stream (Redis 7); they were removed from the pending list.
    public var deletedIDs: [String]
}
