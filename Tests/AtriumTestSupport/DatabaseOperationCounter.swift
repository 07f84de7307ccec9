import Metrics
import Synchronization

/// A metrics factory that counts `atrium_db_operations_total` increments (every statement, connection lease and
/// transaction of a ``AtriumCore/Database``) and drops every other metric; for asserting that a path makes no query.
public final class DatabaseOperationCounter: MetricsFactory {
    private let total = Atomic<Int64>(0)

    public init() {}

    /// Operations finished so far, successful or not.
    public var count: Int64 { total.load(ordering: .relaxed) }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        label == "atrium_db_operations_total" ? Handler(owner: self) : NOOPMetricsHandler.instance
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        NOOPMetricsHandler.instance
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        NOOPMetricsHandler.instance
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        NOOPMetricsHandler.instance
    }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    private final class Handler: CounterHandler {
        let owner: DatabaseOperationCounter
        init(owner: DatabaseOperationCounter) { self.owner = owner }
        func increment(by amount: Int64) { owner.total.add(amount, ordering: .relaxed) }
        func reset() {}
    }
}
