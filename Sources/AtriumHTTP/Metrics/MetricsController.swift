import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /metrics`: the Prometheus text exposition of the process's metrics.
///
/// Figures that are read rather than counted (the Redis pool's state) are refreshed by `refreshers`
/// just before rendering.
struct MetricsController {
    let telemetry: Telemetry
    let refreshers: [@Sendable () -> Void]

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/metrics") { _, _ -> Response in
            for refresh in refreshers { refresh() }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: telemetry.render()))
            )
        }
    }
}
