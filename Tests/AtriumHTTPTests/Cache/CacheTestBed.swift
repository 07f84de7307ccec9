import AtriumCore
import AtriumHTTP
import AtriumRedis
import AtriumTestSupport
import Foundation
import Logging
import Synchronization

/// A workspace with every standard object, a `Database` whose operations are counted, and Redis clients; all cleaned
/// up afterwards (the workspace deleted, its Redis keys removed).
struct CacheTestBed: Sendable {
    let database: Database
    let operations: DatabaseOperationCounter
    let workspace: CreatedWorkspace
    let redis: [RedisClient]
    let logger: Logger

    static var logger: Logger {
        var logger = Logger(label: "test.metadata-cache")
        logger.logLevel = .error
        return logger
    }

    /// - Parameter redisClients: How many independent Redis clients (one per simulated server).
    static func run(redisClients: Int = 1, _ body: @Sendable (CacheTestBed) async throws -> Void) async throws {
        let logger = Self.logger
        let redisConfiguration = try RedisConfiguration(url: TestEnvironment.required("REDIS_URL"))
        try await TestTenants.with(name: "Cache") { _, tenants in
            let operations = DatabaseOperationCounter()
            let database = Database(settings: try TestEnvironment.configuration().postgres, logger: logger, metricsFactory: operations)
            let clients = (0..<redisClients).map { _ in RedisClient(configuration: redisConfiguration, logger: logger) }
            let bed = CacheTestBed(database: database, operations: operations, workspace: tenants[0].workspace, redis: clients, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await database.run() }
                for client in clients { group.addTask { try await client.run() } }
                defer { group.cancelAll() }
                do {
                    try await body(bed)
                    try await bed.deleteRedisKeys()
                } catch {
                    try? await bed.deleteRedisKeys()
                    throw error
                }
            }
        }
    }

    /// Runs `body` while `services` run; cancels them afterwards.
    func with(services: [WorkspaceSchemaInvalidationService], _ body: @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services { group.addTask { try await service.run() } }
            defer { group.cancelAll() }
            try await body()
        }
    }

    private func deleteRedisKeys() async throws {
        guard let client = redis.first else { return }
        var cursor = "0"
        repeat {
            let pattern = "atrium:{ws:\(workspace.id.uuidString.lowercased())}:*"
            let reply = try await client.send(["SCAN", RedisArgument(cursor), "MATCH", RedisArgument(pattern), "COUNT", "1000"])
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let keys = parts[1].array else { return }
            try await client.del(keys.compactMap(\.string))
            cursor = next
        } while cursor != "0"
    }
}

/// A shared store that counts calls and can be switched off (every call then fails, as when Redis is down).
final class InstrumentedStore: MetadataSharedStore {
    struct Down: Error {}

    let base: any MetadataSharedStore
    private let calls = Atomic<Int>(0)
    private let down = Atomic<Bool>(false)

    init(_ base: any MetadataSharedStore) { self.base = base }

    var callCount: Int { calls.load(ordering: .relaxed) }
    var isDown: Bool {
        get { down.load(ordering: .relaxed) }
        set { down.store(newValue, ordering: .relaxed) }
    }

    private func call() throws {
        calls.add(1, ordering: .relaxed)
        if isDown { throw Down() }
    }

    func get(_ key: String) async throws -> [UInt8]? {
        try call()
        return try await base.get(key)
    }

    func set(_ key: String, to value: [UInt8], expiration: Duration?) async throws {
        try call()
        try await base.set(key, to: value, expiration: expiration)
    }

    func raise(_ key: String, to value: Int, expiration: Duration?) async throws {
        try call()
        try await base.raise(key, to: value, expiration: expiration)
    }

    func publish(_ message: String, to channel: String) async throws {
        try call()
        try await base.publish(message, to: channel)
    }

    func subscribe(to channel: String, onSubscribed: @escaping @Sendable () -> Void, onMessage: @escaping @Sendable (String) async -> Void)
        async throws
    {
        try call()
        try await base.subscribe(to: channel, onSubscribed: onSubscribed, onMessage: onMessage)
    }

    /// Nil while switched off: a store that is down delivers nothing.
    var subscriptionStretch: UInt64? { isDown ? nil : base.subscriptionStretch }
}
