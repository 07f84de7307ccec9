import Metrics
import Prometheus

/// The process's metrics: a Prometheus registry and the swift-metrics factory that writes into it.
///
/// Each application gets its own registry (tests run several side by side); `atrium serve` also bootstraps
/// swift-metrics' global system with ``metricsFactory`` so libraries' metrics land in the same registry.
public final class Telemetry: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    /// A swift-metrics factory writing into ``registry``.
    public let metricsFactory: PrometheusMetricsFactory

    /// Creates an empty registry with latency buckets suited to a fast API (0.5 ms to 10 s).
    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.registry = registry
        self.metricsFactory = factory
    }

    /// The registry in Prometheus' text exposition format.
    public func render() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        return buffer
    }
}
