import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP face of `atrium worker` (`WORKER_METRICS_PORT`): `GET /metrics` (Prometheus: events relayed, handled and
/// failed, the queues' backlog and lag, the database pool) and `GET /livez`.
public enum WorkerMetricsServer {
    /// The server, as a service of the worker's group.
    public static func make(telemetry: Telemetry, host: String, port: Int, logger: Logger) -> any Service {
        let router = Router(context: AppRequestContext.self)
        MetricsController(telemetry: telemetry, refreshers: []).addRoutes(to: router)
        router.get("/livez") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "Atrium worker"),
                           logger: logger)
    }
}
