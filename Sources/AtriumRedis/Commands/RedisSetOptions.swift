/// When a key set by `RedisClient.set` expires.
public enum RedisExpiration: Sendable, Hashable {
    /// `EX seconds`.
    case seconds(Int)
    /// `PX milliseconds`.
    case milliseconds(Int)
}

/// Whether `RedisClient.set` writes depending on the key's existence.
public enum RedisSetCondition: Sendable, Hashable {
    /// Always write.
    case always
    /// `NX`: only if the key does not exist.
    case ifNotExists
    /// `XX`: only if the key exists.
    case ifExists
}
