import Logging
import ServiceLifecycle

/// Keeps ``SpareSchemaPool`` topped up in the background of `atrium serve`, so workspace creations find a spare.
///
/// Checks at start and then every `interval`; with several instances, the pool's advisory lock lets one build at a time.
/// Failures (for example before `atrium upgrade` created `core`) are logged and retried at the next tick.
public struct SpareSchemaMaintenance: Service {
    let pool: SpareSchemaPool
    let target: Int
    let interval: Duration
    let logger: Logger

    public init(pool: SpareSchemaPool, target: Int, interval: Duration = .seconds(10), logger: Logger) {
        self.pool = pool
        self.target = target
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        guard target > 0 else {
            // Nothing to maintain; returning early would end the whole service group, so wait for shutdown instead.
            try? await gracefulShutdown()
            return
        }
        try await cancelWhenGracefulShutdown { await self.loop() }
    }

    private func loop() async {
        while !Task.isCancelled {
            do {
                let built = try await pool.replenish(target: target, logger: logger)
                if built > 0 { logger.info("built spare workspace schemas", metadata: ["count": "\(built)"]) }
            } catch {
                logger.warning("could not replenish spare workspace schemas", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
