import AtriumRedis
import Metrics

/// Publishes the Redis client's pool figures as gauges, read at scrape time.
struct RedisPoolGauges: Sendable {
    let redis: RedisClient
    let openConnections: Gauge
    let commandsInFlight: Gauge
    let commandsTotal: Gauge
    let failuresTotal: Gauge
    let reconnectsTotal: Gauge
    let available: Gauge
    let outagesTotal: Gauge

    init(redis: RedisClient, factory: any MetricsFactory) {
        self.redis = redis
        openConnections = Gauge(label: "atrium_redis_open_connections", factory: factory)
        commandsInFlight = Gauge(label: "atrium_redis_commands_in_flight", factory: factory)
        commandsTotal = Gauge(label: "atrium_redis_commands_total", factory: factory)
        failuresTotal = Gauge(label: "atrium_redis_failures_total", factory: factory)
        reconnectsTotal = Gauge(label: "atrium_redis_reconnects_total", factory: factory)
        available = Gauge(label: "atrium_redis_available", factory: factory)
        outagesTotal = Gauge(label: "atrium_redis_outages_total", factory: factory)
    }

    /// Copies the client's current statistics into the gauges.
    func refresh() {
        let statistics = redis.statistics
        openConnections.record(statistics.openConnections)
        commandsInFlight.record(statistics.commandsInFlight)
        commandsTotal.record(statistics.totalCommands)
        failuresTotal.record(statistics.totalFailures)
        reconnectsTotal.record(statistics.reconnects)
        available.record(redis.isAvailable ? 1 : 0)
        outagesTotal.record(statistics.circuitOpenings)
    }
}
